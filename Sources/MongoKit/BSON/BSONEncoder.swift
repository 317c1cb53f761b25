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
