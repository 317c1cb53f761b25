import CMongoc
import Foundation

/// A heap-allocated `bson_iter_t`.
///
/// libbson declares `bson_iter_t` 128-byte aligned, which Swift cannot express for an
/// imported struct, so the iterator lives in its own 128-aligned buffer. An iterator
/// points into a document's bytes: the document must outlive it.
final class BSONIterator {
    let raw: UnsafeMutableRawPointer
    let pointer: OpaquePointer

    init() {
        raw = UnsafeMutableRawPointer.allocate(byteCount: 128, alignment: 128)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: 128)
        pointer = OpaquePointer(raw)
    }

    deinit { raw.deallocate() }

    /// Positions before the first field of `document`.
    @discardableResult
    func initialize(_ document: OpaquePointer) -> Bool {
        bson_iter_init(pointer, document)
    }

    /// Positions at the field `key` of `document`.
    func initFind(in document: OpaquePointer, key: String) -> Bool {
        withCKey(key) { bson_iter_init_find_w_len(pointer, document, $0, $1) }
    }

    /// Becomes a copy of `other` (same document, same position).
    func copy(from other: BSONIterator) {
        raw.copyMemory(from: other.raw, byteCount: 128)
    }

    /// A new iterator at the same position.
    func clone() -> BSONIterator {
        let result = BSONIterator()
        result.copy(from: self)
        return result
    }

    /// Advances; false at the end.
    func next() -> Bool { bson_iter_next(pointer) }

    /// Type of the current field.
    var type: bson_type_t { bson_iter_type(pointer) }

    /// Key of the current field.
    var key: String { String(cString: bson_iter_key(pointer)) }

    /// True when the current key equals `key` (no allocation).
    func keyEquals(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = Int(bson_iter_key_len(pointer))
        guard length == utf8.count else { return false }
        guard length > 0 else { return true }
        return memcmp(bson_iter_key(pointer), utf8.baseAddress!, length) == 0
    }

    /// Advances to the field named `utf8`; false (at the end) if none follows.
    func find(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = utf8.baseAddress else {
            return "".withCString { bson_iter_find_w_len(pointer, $0, 0) }
        }
        return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
            bson_iter_find_w_len(pointer, $0, Int32(utf8.count))
        }
    }

    /// Positions `child` before the first field of the current document or array field.
    func recurse(into child: BSONIterator) -> Bool {
        bson_iter_recurse(pointer, child.pointer)
    }

    /// The current field's UTF-8 string, without copying into an intermediate buffer.
    func string() -> String {
        var length: UInt32 = 0
        let bytes = bson_iter_utf8(pointer, &length)!
        return bytes.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
            String(decoding: UnsafeBufferPointer(start: $0, count: Int(length)), as: UTF8.self)
        }
    }

    /// The current embedded document or array as an owned document.
    func subdocument() -> BSONDocument {
        var length: UInt32 = 0
        var data: UnsafePointer<UInt8>?
        if type == BSON_TYPE_ARRAY {
            bson_iter_array(pointer, &length, &data)
        } else {
            bson_iter_document(pointer, &length, &data)
        }
        return BSONDocument(owning: bson_new_from_data(data, Int(length)))
    }

    /// The current binary field's bytes.
    func binary() -> (Data, UInt8) {
        var subtype = BSON_SUBTYPE_BINARY
        var length: UInt32 = 0
        var data: UnsafePointer<UInt8>?
        bson_iter_binary(pointer, &subtype, &length, &data)
        guard let data, length > 0 else { return (Data(), UInt8(subtype.rawValue)) }
        return (Data(bytes: data, count: Int(length)), UInt8(subtype.rawValue))
    }

    /// The current field as a ``BSONValue``.
    func value() throws -> BSONValue {
        switch type {
        case BSON_TYPE_DOUBLE: return .double(bson_iter_double(pointer))
        case BSON_TYPE_UTF8: return .string(string())
        case BSON_TYPE_DOCUMENT: return .document(subdocument())
        case BSON_TYPE_ARRAY:
            let child = BSONIterator()
            guard recurse(into: child) else { return .array([]) }
            var values: [BSONValue] = []
            while child.next() { values.append(try child.value()) }
            return .array(values)
        case BSON_TYPE_BINARY:
            let (data, subtype) = binary()
            return .binary(data, subtype: subtype)
        case BSON_TYPE_OID: return .objectId(ObjectId(bson_iter_oid(pointer).pointee))
        case BSON_TYPE_BOOL: return .bool(bson_iter_bool(pointer))
        case BSON_TYPE_DATE_TIME: return .date(Date(bsonMilliseconds: bson_iter_date_time(pointer)))
        case BSON_TYPE_NULL, BSON_TYPE_UNDEFINED: return .null
        case BSON_TYPE_INT32: return .int32(bson_iter_int32(pointer))
        case BSON_TYPE_INT64: return .int64(bson_iter_int64(pointer))
        case BSON_TYPE_TIMESTAMP:
            var seconds: UInt32 = 0
            var increment: UInt32 = 0
            bson_iter_timestamp(pointer, &seconds, &increment)
            return .timestamp(seconds: seconds, increment: increment)
        case BSON_TYPE_MINKEY: return .minKey
        case BSON_TYPE_MAXKEY: return .maxKey
        default:
            throw MongoError.unsupportedBSONType(key: key, type: type.rawValue)
        }
    }
}

extension Date {
    /// A BSON datetime (milliseconds since the Unix epoch).
    init(bsonMilliseconds milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// Milliseconds since the Unix epoch, rounded to the nearest millisecond.
    var bsonMilliseconds: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded())
    }
}
