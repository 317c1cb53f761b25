import CMongoc
import Foundation

/// Decodes `Decodable` values straight from libbson documents with `bson_iter_t`.
///
/// Keyed lookups follow the document's field order first (synthesized `init(from:)`
/// asks for fields in declaration order, usually the stored order), so a typical
/// decode walks each document once. Numbers convert between int32, int64 and integral
/// doubles; `Date` reads a BSON datetime, `Data` binary, ``ObjectId`` an ObjectId.
public struct BSONDecoder: Sendable {
    /// A decoder.
    public init() {}

    /// Decodes a `T` from `document`.
    public func decode<T: Decodable>(_ type: T.Type, from document: BSONDocument) throws -> T {
        if let document = document as? T { return document }
        return try withExtendedLifetime(document) { try decode(type, from: document.pointer) }
    }

    /// Decodes a `T` from a borrowed `bson_t` (e.g. a cursor's current document).
    func decode<T: Decodable>(_ type: T.Type, from bson: OpaquePointer) throws -> T {
        if T.self == BSONDocument.self { return BSONDocument(copying: bson) as! T }
        return try T(from: _BSONDecoder(root: bson, codingPath: []))
    }
}

/// The `Decoder` for the root document or for one element an iterator points at.
final class _BSONDecoder: Decoder {
    enum Position {
        case root(OpaquePointer)
        case element(BSONIterator)
    }

    let position: Position
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(root: OpaquePointer, codingPath: [CodingKey]) {
        position = .root(root)
        self.codingPath = codingPath
    }

    init(element: BSONIterator, codingPath: [CodingKey]) {
        position = .element(element)
        self.codingPath = codingPath
    }

    /// A new iterator before the first field of this position's document or array.
    private func children(expecting expected: bson_type_t, as type: Any.Type) throws -> BSONIterator {
        let child = BSONIterator()
        switch position {
        case .root(let bson):
            guard expected == BSON_TYPE_DOCUMENT, child.initialize(bson) else {
                throw DecodingError.typeMismatch(type, .init(codingPath: codingPath,
                    debugDescription: "a BSON document decodes only as a keyed container"))
            }
        case .element(let element):
            guard element.type == expected, element.recurse(into: child) else {
                throw typeMismatch(type, element, codingPath)
            }
        }
        return child
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let start = try children(expecting: BSON_TYPE_DOCUMENT, as: [String: Any].self)
        return KeyedDecodingContainer(BSONKeyedDecodingContainer<Key>(decoder: self, start: start))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        let start = try children(expecting: BSON_TYPE_ARRAY, as: [Any].self)
        return BSONUnkeyedDecodingContainer(decoder: self, iterator: start)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer {
        BSONSingleValueDecodingContainer(decoder: self)
    }

    /// The element iterator of a single-value position.
    func element(for type: Any.Type) throws -> BSONIterator {
        guard case .element(let element) = position else {
            throw DecodingError.typeMismatch(type, .init(codingPath: codingPath,
                debugDescription: "a BSON document cannot decode as a single value"))
        }
        return element
    }

    func decodeObjectId() throws -> ObjectId {
        try ObjectId(bsonIterator: element(for: ObjectId.self), path: codingPath)
    }
}

func typeMismatch(_ type: Any.Type, _ iterator: BSONIterator, _ path: [CodingKey]) -> DecodingError {
    DecodingError.typeMismatch(type, .init(codingPath: path,
        debugDescription: "expected \(type), found BSON type 0x\(String(iterator.type.rawValue, radix: 16))"))
}

/// Types read directly from an iterator rather than through `init(from:)`.
protocol BSONPrimitiveDecodable {
    init(bsonIterator iterator: BSONIterator, path: [CodingKey]) throws
}

extension BSONIterator {
    var isNull: Bool { type == BSON_TYPE_NULL || type == BSON_TYPE_UNDEFINED }

    func decodeBool(_ path: @autoclosure () -> [CodingKey]) throws -> Bool {
        guard type == BSON_TYPE_BOOL else { throw typeMismatch(Bool.self, self, path()) }
        return bson_iter_bool(pointer)
    }

    func decodeString(_ path: @autoclosure () -> [CodingKey]) throws -> String {
        guard type == BSON_TYPE_UTF8 else { throw typeMismatch(String.self, self, path()) }
        return string()
    }

    func decodeInt64(_ path: @autoclosure () -> [CodingKey]) throws -> Int64 {
        switch type {
        case BSON_TYPE_INT32: return Int64(bson_iter_int32(pointer))
        case BSON_TYPE_INT64: return bson_iter_int64(pointer)
        case BSON_TYPE_DOUBLE:
            if let exact = Int64(exactly: bson_iter_double(pointer)) { return exact }
            throw typeMismatch(Int.self, self, path())
        default: throw typeMismatch(Int.self, self, path())
        }
    }

    func decodeInteger<T: FixedWidthInteger>(_ type: T.Type, _ path: @autoclosure () -> [CodingKey]) throws -> T {
        let wide = try decodeInt64(path())
        guard let value = T(exactly: wide) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "\(wide) does not fit \(T.self)"))
        }
        return value
    }

    func decodeDouble(_ path: @autoclosure () -> [CodingKey]) throws -> Double {
        switch type {
        case BSON_TYPE_DOUBLE: return bson_iter_double(pointer)
        case BSON_TYPE_INT32: return Double(bson_iter_int32(pointer))
        case BSON_TYPE_INT64: return Double(bson_iter_int64(pointer))
        default: throw typeMismatch(Double.self, self, path())
        }
    }

    /// Decodes the current element: natively for primitives, else through `init(from:)`
    /// with this iterator as the position (valid while `init(from:)` runs).
    func decode<T: Decodable>(_ type: T.Type, _ path: @autoclosure () -> [CodingKey]) throws -> T {
        if let primitive = T.self as? BSONPrimitiveDecodable.Type {
            return try primitive.init(bsonIterator: self, path: path()) as! T
        }
        return try T(from: _BSONDecoder(element: self, codingPath: path()))
    }
}

extension String: BSONPrimitiveDecodable {
    init(bsonIterator iterator: BSONIterator, path: [CodingKey]) throws { self = try iterator.decodeString(path) }
}
extension Int: BSONPrimitiveDecodable {
    init(bsonIterator iterator: BSONIterator, path: [CodingKey]) throws { self = try iterator.decodeInteger(Int.self, path) }
}
extension Int64: BSONPrimitiveDecodable {
    init(bsonIterator iterator: BSONIterator, path: [CodingKey]) throws { self = try iterator.decodeInt64(path) }
}
extension Int32: BSONPrimitiveDecodable {
    init(bsonIterator iterator: BSONIterator, path: [CodingKey]) throws { self = try iterator.decodeInteger(Int32.self, path) }
}
extension Double: BSONPrimitiveDecodable {
    init(bsonIterator iterator: BSONIterator, path: [CodingKey]) throws { self = try iterator.decodeDouble(path) }
}
extension Bool: BSONPrimitiveDecodable {
    init(bsonIterator iterator: BSONIterator, path: [CodingKey]) throws { self = try iterator.decodeBool(path) }
}
extension Date: BSONPrimitiveDecodable {
    init(bsonIterator iterator: BSONIterator, path: [CodingKey]) throws {
        guard iterator.type == BSON_TYPE_DATE_TIME else { throw typeMismatch(Date.self, iterator, path) }
        self.init(bsonMilliseconds: bson_iter_date_time(iterator.pointer))
    }
}
extension Data: BSONPrimitiveDecodable {
    init(bsonIterator iterator: BSONIterator, path: [CodingKey]) throws {
        guard iterator.type == BSON_TYPE_BINARY else { throw typeMismatch(Data.self, iterator, path) }
        self = iterator.binary().0
    }
}
extension ObjectId: BSONPrimitiveDecodable {
    init(bsonIterator iterator: BSONIterator, path: [CodingKey]) throws {
        guard iterator.type == BSON_TYPE_OID else { throw typeMismatch(ObjectId.self, iterator, path) }
        self.init(bson_iter_oid(iterator.pointer).pointee)
    }
}
extension BSONDocument: BSONPrimitiveDecodable {
    init(bsonIterator iterator: BSONIterator, path: [CodingKey]) throws {
        guard iterator.type == BSON_TYPE_DOCUMENT else { throw typeMismatch(BSONDocument.self, iterator, path) }
        self = iterator.subdocument()
    }
}
extension BSONValue: BSONPrimitiveDecodable {
    init(bsonIterator iterator: BSONIterator, path: [CodingKey]) throws { self = try iterator.value() }
}
extension URL: BSONPrimitiveDecodable {
    init(bsonIterator iterator: BSONIterator, path: [CodingKey]) throws {
        let text = try iterator.decodeString(path)
        guard let url = URL(string: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "not a URL: \(text)"))
        }
        self = url
    }
}

extension BSONDocument: Codable {
    /// Decodes natively from BSON only.
    public init(from decoder: Decoder) throws {
        guard let bson = decoder as? _BSONDecoder else {
            throw DecodingError.typeMismatch(BSONDocument.self, .init(codingPath: decoder.codingPath,
                debugDescription: "BSONDocument decodes only with BSONDecoder"))
        }
        switch bson.position {
        case .root(let pointer): self.init(copying: pointer)
        case .element(let element): try self.init(bsonIterator: element, path: decoder.codingPath)
        }
    }

    /// Encodes natively into BSON only.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        guard let bson = container as? BSONSingleValueEncodingContainer else {
            try container.encode(relaxedJSON)
            return
        }
        try bson.encodePrimitive(.document(self))
    }
}

extension BSONValue: Codable {
    /// Decodes natively from BSON only.
    public init(from decoder: Decoder) throws {
        guard let bson = decoder as? _BSONDecoder else {
            throw DecodingError.typeMismatch(BSONValue.self, .init(codingPath: decoder.codingPath,
                debugDescription: "BSONValue decodes only with BSONDecoder"))
        }
        switch bson.position {
        case .root(let pointer): self = .document(BSONDocument(copying: pointer))
        case .element(let element): self = try element.value()
        }
    }

    /// Encodes natively into BSON only.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        guard let bson = container as? BSONSingleValueEncodingContainer else {
            try container.encode(String(describing: self))
            return
        }
        try bson.encodePrimitive(self)
    }
}
