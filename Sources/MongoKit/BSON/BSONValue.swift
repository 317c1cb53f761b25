import CMongoc
import Foundation

/// One BSON value, for building filters and updates and for reading untyped documents.
public enum BSONValue: Sendable, Equatable {
    case double(Double)
    case string(String)
    case document(BSONDocument)
    case array([BSONValue])
    /// Binary data with its BSON subtype (0 = generic).
    case binary(Data, subtype: UInt8)
    case objectId(ObjectId)
    case bool(Bool)
    /// A BSON datetime (millisecond precision).
    case date(Date)
    case null
    case int32(Int32)
    case int64(Int64)
    /// The internal replication timestamp type (change-stream cluster times).
    case timestamp(seconds: UInt32, increment: UInt32)
    case minKey
    case maxKey

    /// An `Int` as BSON int64.
    public static func int(_ value: Int) -> BSONValue { .int64(Int64(value)) }

    /// The value as a Swift Int if it is an integral number.
    public var intValue: Int? {
        switch self {
        case .int32(let v): return Int(v)
        case .int64(let v): return Int(v)
        case .double(let v) where v.rounded() == v && abs(v) < 9.2e18: return Int(v)
        default: return nil
        }
    }

    /// The value as a Double if it is a number.
    public var doubleValue: Double? {
        switch self {
        case .double(let v): return v
        case .int32(let v): return Double(v)
        case .int64(let v): return Double(v)
        default: return nil
        }
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The embedded document, if this is one.
    public var documentValue: BSONDocument? {
        if case .document(let d) = self { return d }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [BSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// Appends this value under `key` to a `bson_t`.
    func append(to bson: OpaquePointer, key: String) {
        withCKey(key) { append(to: bson, key: $0, length: $1) }
    }

    /// Appends this value under a C key to a `bson_t`.
    func append(to bson: OpaquePointer, key: UnsafePointer<CChar>, length: Int32) {
        switch self {
        case .double(let v): bson_append_double(bson, key, length, v)
        case .string(let s):
            withCKey(s) { _ = bson_append_utf8(bson, key, length, $0, $1) }
        case .document(let d): bson_append_document(bson, key, length, d.pointer)
        case .array(let values):
            let child = BSONChildBuffer()
            bson_append_array_begin(bson, key, length, child.pointer)
            for (index, value) in values.enumerated() {
                withArrayKey(index) { value.append(to: child.pointer, key: $0, length: $1) }
            }
            bson_append_array_end(bson, child.pointer)
        case .binary(let data, let subtype):
            data.withUnsafeBytes { raw in
                let base = raw.bindMemory(to: UInt8.self).baseAddress
                _ = bson_append_binary(bson, key, length, bson_subtype_t(UInt32(subtype)), base, UInt32(raw.count))
            }
        case .objectId(let id):
            var oid = id.oid
            bson_append_oid(bson, key, length, &oid)
        case .bool(let v): bson_append_bool(bson, key, length, v)
        case .date(let d): bson_append_date_time(bson, key, length, d.bsonMilliseconds)
        case .null: bson_append_null(bson, key, length)
        case .int32(let v): bson_append_int32(bson, key, length, v)
        case .int64(let v): bson_append_int64(bson, key, length, v)
        case .timestamp(let seconds, let increment): bson_append_timestamp(bson, key, length, seconds, increment)
        case .minKey: bson_append_minkey(bson, key, length)
        case .maxKey: bson_append_maxkey(bson, key, length)
        }
    }
}

/// Calls `body` with a string's UTF-8 bytes and length (not NUL-terminated) without
/// copying native strings.
@inline(__always)
func withCKey<R>(_ string: String, _ body: (UnsafePointer<CChar>, Int32) -> R) -> R {
    var string = string
    return string.withUTF8 { utf8 in
        guard let base = utf8.baseAddress else { return "".withCString { body($0, 0) } }
        return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) { body($0, Int32(utf8.count)) }
    }
}

/// Calls `body` with the decimal key of array element `index` ("0", "1", …) without
/// allocating.
@inline(__always)
func withArrayKey<R>(_ index: Int, _ body: (UnsafePointer<CChar>, Int32) -> R) -> R {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 16) { buffer in
        var key: UnsafePointer<CChar>?
        let length = bson_uint32_to_string(UInt32(index), &key, buffer.baseAddress, 16)
        return body(key!, Int32(length))
    }
}

/// Storage for a child `bson_t` passed to `bson_append_{document,array}_begin`
/// (128-byte aligned, like every `bson_t`).
final class BSONChildBuffer {
    let raw: UnsafeMutableRawPointer
    let pointer: OpaquePointer

    init() {
        raw = UnsafeMutableRawPointer.allocate(byteCount: 128, alignment: 128)
        pointer = OpaquePointer(raw)
    }

    deinit { raw.deallocate() }
}

extension BSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension BSONValue: ExpressibleByIntegerLiteral {
    /// Integer literals become int64, matching how ``BSONEncoder`` encodes `Int`.
    public init(integerLiteral value: Int) { self = .int64(Int64(value)) }
}

extension BSONValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension BSONValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension BSONValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: BSONValue...) { self = .array(elements) }
}

extension BSONValue: ExpressibleByDictionaryLiteral {
    /// An embedded document, keeping the literal's field order.
    public init(dictionaryLiteral elements: (String, BSONValue)...) {
        var document = BSONDocument()
        for (key, value) in elements { document.append(key, value) }
        self = .document(document)
    }
}

extension BSONValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}
