import CMongoc
import Foundation

/// Encodes `Encodable` values straight into libbson documents.
///
/// Values are appended field by field with libbson's append API while the value's
/// `encode(to:)` runs: no intermediate tree and no JSON text. `Int` becomes int64,
/// `Date` a BSON datetime, `Data` binary, ``ObjectId`` an ObjectId; `nil` optionals are
/// omitted (synthesized `encodeIfPresent`). The top-level value must encode as a keyed
/// container (a struct or a dictionary).
public struct BSONEncoder: Sendable {
    /// An encoder.
    public init() {}

    /// Encodes `value` as a document.
    public func encode<T: Encodable>(_ value: T) throws -> BSONDocument {
        if let document = value as? BSONDocument { return document }
        let document = BSONDocument()
        try encode(value, into: document.pointer)
        return document
    }

    /// Encodes `value` by appending its fields to an existing `bson_t`.
    func encode<T: Encodable>(_ value: T, into bson: OpaquePointer) throws {
        let root = BSONWriteNode(root: bson)
        let encoder = _BSONEncoder(root: root)
        try value.encode(to: encoder)
        root.closeOpenChild()
    }
}

/// Types the encoder appends as a single BSON value instead of running their
/// `encode(to:)` (which for `Date` and `Data` would not produce BSON's native types).
protocol BSONPrimitiveEncodable {
    var bsonValue: BSONValue { get throws }
}

extension String: BSONPrimitiveEncodable { var bsonValue: BSONValue { .string(self) } }
extension Int: BSONPrimitiveEncodable { var bsonValue: BSONValue { .int64(Int64(self)) } }
extension Int64: BSONPrimitiveEncodable { var bsonValue: BSONValue { .int64(self) } }
extension Int32: BSONPrimitiveEncodable { var bsonValue: BSONValue { .int32(self) } }
extension Double: BSONPrimitiveEncodable { var bsonValue: BSONValue { .double(self) } }
extension Bool: BSONPrimitiveEncodable { var bsonValue: BSONValue { .bool(self) } }
extension Date: BSONPrimitiveEncodable { var bsonValue: BSONValue { .date(self) } }
extension Data: BSONPrimitiveEncodable { var bsonValue: BSONValue { .binary(self, subtype: 0) } }
extension ObjectId: BSONPrimitiveEncodable { var bsonValue: BSONValue { .objectId(self) } }
extension BSONDocument: BSONPrimitiveEncodable { var bsonValue: BSONValue { .document(self) } }
extension BSONValue: BSONPrimitiveEncodable { var bsonValue: BSONValue { self } }
extension URL: BSONPrimitiveEncodable { var bsonValue: BSONValue { .string(absoluteString) } }

/// A document or array being written. Children are written in place inside their
/// parent's buffer (`bson_append_*_begin`), so a parent must not be written to while
/// a child is open: any write to a node first closes its open child, and writing to a
/// closed node throws.
final class BSONWriteNode {
    let bson: OpaquePointer
    let isArray: Bool
    private let buffer: BSONChildBuffer?
    private unowned(unsafe) let parent: BSONWriteNode?
    private(set) var isOpen = true
    private var nextIndex = 0
    private var openChild: BSONWriteNode?

    init(root: OpaquePointer) {
        bson = root
        isArray = false
        buffer = nil
        parent = nil
    }

    private init(parent: BSONWriteNode?, isArray: Bool, open: Bool) {
        let buffer = BSONChildBuffer()
        self.buffer = buffer
        bson = buffer.pointer
        self.isArray = isArray
        self.parent = parent
        isOpen = open
    }

    private func prepare() throws {
        guard isOpen else {
            throw EncodingError.invalidValue(
                Optional<Int>.none as Any,
                EncodingError.Context(codingPath: [], debugDescription:
                    "BSON container written after its parent moved on (containers must be filled in order)"))
        }
        closeOpenChild()
    }

    func closeOpenChild() {
        openChild?.end()
    }

    @inline(__always)
    private func withKey<R>(_ key: String?, _ body: (UnsafePointer<CChar>, Int32) -> R) -> R {
        guard let key else {
            let index = nextIndex
            nextIndex += 1
            return withArrayKey(index, body)
        }
        return withCKey(key, body)
    }

    /// Appends one value under `key` (nil: the next array index).
    func append(_ value: BSONValue, key: String?) throws {
        try prepare()
        withKey(key) { value.append(to: bson, key: $0, length: $1) }
    }

    /// Starts an embedded document or array under `key`; it stays open until ended or
    /// until this node is written to again. Never throws: a child of a closed node is
    /// created closed, so that writing to it reports the misuse.
    func beginChild(key: String?, isArray: Bool) -> BSONWriteNode {
        guard (try? prepare()) != nil else {
            return BSONWriteNode(parent: self, isArray: isArray, open: false)
        }
        let child = BSONWriteNode(parent: self, isArray: isArray, open: true)
        withKey(key) {
            if isArray {
                _ = bson_append_array_begin(bson, $0, $1, child.bson)
            } else {
                _ = bson_append_document_begin(bson, $0, $1, child.bson)
            }
        }
        openChild = child
        return child
    }

    /// A closed node that rejects every write (reports container misuse on first use).
    static func closed(isArray: Bool) -> BSONWriteNode {
        BSONWriteNode(parent: nil, isArray: isArray, open: false)
    }

    /// Finishes this child inside its parent.
    func end() {
        guard isOpen, let parent else { return }
        closeOpenChild()
        isOpen = false
        if isArray {
            bson_append_array_end(parent.bson, bson)
        } else {
            bson_append_document_end(parent.bson, bson)
        }
        parent.openChild = nil
    }
}

/// Encodes `value` under `key` of `node`: natively for primitives, else through a
/// nested encoder that writes in place.
@inline(__always)
func encodeBSONValue<T: Encodable>(_ value: T, into node: BSONWriteNode, key: String?,
                                   path: @autoclosure () -> [CodingKey]) throws {
    if let primitive = value as? BSONPrimitiveEncodable {
        try node.append(try primitive.bsonValue, key: key)
        return
    }
    let encoder = _BSONEncoder(parent: node, key: key, path: path())
    try value.encode(to: encoder)
    try encoder.finish()
}

/// The `Encoder` for one value position: the root document or a field/element of a node.
final class _BSONEncoder: Encoder {
    private let parent: BSONWriteNode?
    private let key: String?
    private var node: BSONWriteNode?
    private var wroteValue = false
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(root: BSONWriteNode) {
        parent = nil
        key = nil
        node = root
        codingPath = []
    }

    init(parent: BSONWriteNode, key: String?, path: [CodingKey]) {
        self.parent = parent
        self.key = key
        codingPath = path
    }

    private func containerNode(isArray: Bool) -> BSONWriteNode {
        if let node, node.isArray == isArray { return node }
        guard let parent, node == nil, !wroteValue else {
            // Root asked for an array, or a second container of another kind.
            return BSONWriteNode.closed(isArray: isArray)
        }
        let child = parent.beginChild(key: key, isArray: isArray)
        node = child
        return child
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(BSONKeyedEncodingContainer<Key>(node: containerNode(isArray: false), codingPath: codingPath))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        BSONUnkeyedEncodingContainer(node: containerNode(isArray: true), codingPath: codingPath)
    }

    func singleValueContainer() -> SingleValueEncodingContainer {
        BSONSingleValueEncodingContainer(encoder: self)
    }

    /// Appends a single value at this position.
    func writeSingle(_ value: BSONValue) throws {
        guard let parent, node == nil, !wroteValue else {
            throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: codingPath, debugDescription:
                parent == nil ? "a BSON document must encode as a keyed container (struct or dictionary)"
                              : "value encoded twice at the same position"))
        }
        wroteValue = true
        try parent.append(value, key: key)
    }

    /// Completes this position: closes its container, or writes `{}` if the value
    /// encoded nothing (as JSONEncoder does).
    func finish() throws {
        if let node {
            node.end()
        } else if !wroteValue, let parent {
            parent.beginChild(key: key, isArray: false).end()
        }
    }
}

struct BSONKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: BSONWriteNode
    let codingPath: [CodingKey]

    mutating func encodeNil(forKey key: Key) throws { try node.append(.null, key: key.stringValue) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try node.append(.bool(value), key: key.stringValue) }
    mutating func encode(_ value: String, forKey key: Key) throws { try node.append(.string(value), key: key.stringValue) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try node.append(.double(value), key: key.stringValue) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try node.append(.double(Double(value)), key: key.stringValue) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try node.append(.int64(Int64(value)), key: key.stringValue) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try node.append(.int32(Int32(value)), key: key.stringValue) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try node.append(.int32(Int32(value)), key: key.stringValue) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try node.append(.int32(value), key: key.stringValue) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try node.append(.int64(value), key: key.stringValue) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try node.append(.int32(Int32(value)), key: key.stringValue) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try node.append(.int32(Int32(value)), key: key.stringValue) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try node.append(.int64(Int64(value)), key: key.stringValue) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        try node.append(.int64(try checkedInt64(value, codingPath + [key])), key: key.stringValue)
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        try node.append(.int64(try checkedInt64(UInt64(value), codingPath + [key])), key: key.stringValue)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encodeBSONValue(value, into: node, key: key.stringValue, path: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                        forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(BSONKeyedEncodingContainer<NestedKey>(
            node: node.beginChild(key: key.stringValue, isArray: false), codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        BSONUnkeyedEncodingContainer(node: node.beginChild(key: key.stringValue, isArray: true),
                                     codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> Encoder {
        _BSONEncoder(parent: node, key: "super", path: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> Encoder {
        _BSONEncoder(parent: node, key: key.stringValue, path: codingPath + [key])
    }
}

struct BSONUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let node: BSONWriteNode
    let codingPath: [CodingKey]
    private(set) var count = 0

    init(node: BSONWriteNode, codingPath: [CodingKey]) {
        self.node = node
        self.codingPath = codingPath
    }

    private mutating func add(_ value: BSONValue) throws {
        try node.append(value, key: nil)
        count += 1
    }

    mutating func encodeNil() throws { try add(.null) }
    mutating func encode(_ value: Bool) throws { try add(.bool(value)) }
    mutating func encode(_ value: String) throws { try add(.string(value)) }
    mutating func encode(_ value: Double) throws { try add(.double(value)) }
    mutating func encode(_ value: Float) throws { try add(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { try add(.int64(Int64(value))) }
    mutating func encode(_ value: Int8) throws { try add(.int32(Int32(value))) }
    mutating func encode(_ value: Int16) throws { try add(.int32(Int32(value))) }
    mutating func encode(_ value: Int32) throws { try add(.int32(value)) }
    mutating func encode(_ value: Int64) throws { try add(.int64(value)) }
    mutating func encode(_ value: UInt8) throws { try add(.int32(Int32(value))) }
    mutating func encode(_ value: UInt16) throws { try add(.int32(Int32(value))) }
    mutating func encode(_ value: UInt32) throws { try add(.int64(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { try add(.int64(try checkedInt64(value, codingPath))) }
    mutating func encode(_ value: UInt) throws { try add(.int64(try checkedInt64(UInt64(value), codingPath))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try encodeBSONValue(value, into: node, key: nil, path: codingPath)
        count += 1
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        count += 1
        return KeyedEncodingContainer(BSONKeyedEncodingContainer<NestedKey>(
            node: node.beginChild(key: nil, isArray: false), codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        count += 1
        return BSONUnkeyedEncodingContainer(node: node.beginChild(key: nil, isArray: true), codingPath: codingPath)
    }

    mutating func superEncoder() -> Encoder {
        count += 1
        return _BSONEncoder(parent: node, key: nil, path: codingPath)
    }
}

struct BSONSingleValueEncodingContainer: SingleValueEncodingContainer {
    let encoder: _BSONEncoder
    var codingPath: [CodingKey] { encoder.codingPath }

    func encodePrimitive(_ value: BSONValue) throws { try encoder.writeSingle(value) }

    mutating func encodeNil() throws { try encoder.writeSingle(.null) }
    mutating func encode(_ value: Bool) throws { try encoder.writeSingle(.bool(value)) }
    mutating func encode(_ value: String) throws { try encoder.writeSingle(.string(value)) }
    mutating func encode(_ value: Double) throws { try encoder.writeSingle(.double(value)) }
    mutating func encode(_ value: Float) throws { try encoder.writeSingle(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { try encoder.writeSingle(.int64(Int64(value))) }
    mutating func encode(_ value: Int8) throws { try encoder.writeSingle(.int32(Int32(value))) }
    mutating func encode(_ value: Int16) throws { try encoder.writeSingle(.int32(Int32(value))) }
    mutating func encode(_ value: Int32) throws { try encoder.writeSingle(.int32(value)) }
    mutating func encode(_ value: Int64) throws { try encoder.writeSingle(.int64(value)) }
    mutating func encode(_ value: UInt8) throws { try encoder.writeSingle(.int32(Int32(value))) }
    mutating func encode(_ value: UInt16) throws { try encoder.writeSingle(.int32(Int32(value))) }
    mutating func encode(_ value: UInt32) throws { try encoder.writeSingle(.int64(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { try encoder.writeSingle(.int64(try checkedInt64(value, codingPath))) }
    mutating func encode(_ value: UInt) throws { try encoder.writeSingle(.int64(try checkedInt64(UInt64(value), codingPath))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        if let primitive = value as? BSONPrimitiveEncodable {
            try encoder.writeSingle(try primitive.bsonValue)
        } else {
            // A wrapper encoding its wrapped value: the wrapped value takes this position.
            try value.encode(to: encoder)
        }
    }
}

private func checkedInt64(_ value: UInt64, _ path: [CodingKey]) throws -> Int64 {
    guard let result = Int64(exactly: value) else {
        throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: path, debugDescription:
            "\(value) does not fit BSON int64"))
    }
    return result
}
