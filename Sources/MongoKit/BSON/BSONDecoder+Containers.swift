import CMongoc
import Foundation

/// Finds fields of one document by key, remembering where the last lookup ended.
final class BSONFieldCursor {
    let start: BSONIterator
    let cursor: BSONIterator
    private var positioned = false

    init(start: BSONIterator) {
        self.start = start
        cursor = start.clone()
    }

    /// Positions `cursor` at `key`: the current field, then the fields after it, then
    /// from the top.
    func locate(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { utf8 in
            if positioned, cursor.keyEquals(utf8) { return true }
            if positioned, cursor.find(utf8) { return true }
            cursor.copy(from: start)
            positioned = cursor.find(utf8)
            return positioned
        }
    }
}

struct BSONKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: _BSONDecoder
    let fields: BSONFieldCursor

    init(decoder: _BSONDecoder, start: BSONIterator) {
        self.decoder = decoder
        fields = BSONFieldCursor(start: start)
    }

    var codingPath: [CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        let iterator = fields.start.clone()
        var keys: [Key] = []
        while iterator.next() {
            if let key = Key(stringValue: iterator.key) { keys.append(key) }
        }
        return keys
    }

    func contains(_ key: Key) -> Bool { fields.locate(key.stringValue) }

    private func field(_ key: Key) throws -> BSONIterator {
        guard fields.locate(key.stringValue) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath,
                debugDescription: "no field \"\(key.stringValue)\""))
        }
        return fields.cursor
    }

    /// The field if present and not null.
    private func presentField(_ key: Key) -> BSONIterator? {
        guard fields.locate(key.stringValue), !fields.cursor.isNull else { return nil }
        return fields.cursor
    }

    func decodeNil(forKey key: Key) throws -> Bool { try field(key).isNull }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try field(key).decodeBool(codingPath + [key]) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try field(key).decodeString(codingPath + [key]) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try field(key).decodeDouble(codingPath + [key]) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try field(key).decodeDouble(codingPath + [key])) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try field(key).decodeInteger(Int.self, codingPath + [key]) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try field(key).decodeInteger(Int8.self, codingPath + [key]) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try field(key).decodeInteger(Int16.self, codingPath + [key]) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try field(key).decodeInteger(Int32.self, codingPath + [key]) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try field(key).decodeInt64(codingPath + [key]) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try field(key).decodeInteger(UInt.self, codingPath + [key]) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try field(key).decodeInteger(UInt8.self, codingPath + [key]) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try field(key).decodeInteger(UInt16.self, codingPath + [key]) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try field(key).decodeInteger(UInt32.self, codingPath + [key]) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try field(key).decodeInteger(UInt64.self, codingPath + [key]) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try field(key).decode(type, codingPath + [key])
    }

    // One lookup instead of the default contains + decodeNil + decode.
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try presentField(key)?.decodeString(codingPath + [key])
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        try presentField(key)?.decodeInteger(Int.self, codingPath + [key])
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try presentField(key)?.decodeDouble(codingPath + [key])
    }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        try presentField(key)?.decodeBool(codingPath + [key])
    }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try presentField(key)?.decode(type, codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type,
                                               forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try _BSONDecoder(element: field(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try _BSONDecoder(element: field(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> Decoder {
        guard fields.locate("super") else {
            throw DecodingError.keyNotFound(BSONKey("super"), .init(codingPath: codingPath, debugDescription: "no field \"super\""))
        }
        // Cloned: a super decoder may be used after this container moved on.
        return _BSONDecoder(element: fields.cursor.clone(), codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> Decoder {
        _BSONDecoder(element: try field(key).clone(), codingPath: codingPath + [key])
    }
}

struct BSONUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let decoder: _BSONDecoder
    private let iterator: BSONIterator
    let count: Int?
    private(set) var currentIndex = 0
    private var positioned = false

    init(decoder: _BSONDecoder, iterator: BSONIterator) {
        self.decoder = decoder
        self.iterator = iterator
        let counter = iterator.clone()
        var count = 0
        while counter.next() { count += 1 }
        self.count = count
    }

    var codingPath: [CodingKey] { decoder.codingPath }
    var isAtEnd: Bool { currentIndex >= count! }

    private var elementPath: [CodingKey] { codingPath + [BSONKey(index: currentIndex)] }

    /// The current element, without consuming it.
    private mutating func peek(_ type: Any.Type) throws -> BSONIterator {
        if !positioned {
            guard !isAtEnd, iterator.next() else {
                throw DecodingError.valueNotFound(type, .init(codingPath: elementPath, debugDescription: "array exhausted"))
            }
            positioned = true
        }
        return iterator
    }

    private mutating func consume<T>(_ type: Any.Type, _ read: (BSONIterator) throws -> T) throws -> T {
        let value = try read(peek(type))
        positioned = false
        currentIndex += 1
        return value
    }

    mutating func decodeNil() throws -> Bool {
        guard try peek(Never.self).isNull else { return false }
        positioned = false
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { let (c, i) = (codingPath, currentIndex); return try consume(type) { try $0.decodeBool(c + [BSONKey(index: i)]) } }
    mutating func decode(_ type: String.Type) throws -> String { let (c, i) = (codingPath, currentIndex); return try consume(type) { try $0.decodeString(c + [BSONKey(index: i)]) } }
    mutating func decode(_ type: Double.Type) throws -> Double { let (c, i) = (codingPath, currentIndex); return try consume(type) { try $0.decodeDouble(c + [BSONKey(index: i)]) } }
    mutating func decode(_ type: Int.Type) throws -> Int { let (c, i) = (codingPath, currentIndex); return try consume(type) { try $0.decodeInteger(Int.self, c + [BSONKey(index: i)]) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { let (c, i) = (codingPath, currentIndex); return try consume(type) { try $0.decodeInt64(c + [BSONKey(index: i)]) } }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let path = codingPath
        let index = currentIndex
        return try consume(type) { try $0.decode(type, path + [BSONKey(index: index)]) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let path = elementPath
        return try consume(type) { try _BSONDecoder(element: $0, codingPath: path).container(keyedBy: type) }
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        let path = elementPath
        return try consume([Any].self) { try _BSONDecoder(element: $0, codingPath: path).unkeyedContainer() }
    }

    mutating func superDecoder() throws -> Decoder {
        let path = elementPath
        return try consume(Any.self) { _BSONDecoder(element: $0.clone(), codingPath: path) }
    }
}

struct BSONSingleValueDecodingContainer: SingleValueDecodingContainer {
    let decoder: _BSONDecoder
    var codingPath: [CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { (try? decoder.element(for: Never.self))?.isNull ?? false }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.element(for: type).decodeBool(codingPath) }
    func decode(_ type: String.Type) throws -> String { try decoder.element(for: type).decodeString(codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try decoder.element(for: type).decodeDouble(codingPath) }
    func decode(_ type: Float.Type) throws -> Float { Float(try decoder.element(for: type).decodeDouble(codingPath)) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.element(for: type).decodeInteger(Int.self, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.element(for: type).decodeInteger(Int8.self, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.element(for: type).decodeInteger(Int16.self, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.element(for: type).decodeInteger(Int32.self, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.element(for: type).decodeInt64(codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.element(for: type).decodeInteger(UInt.self, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.element(for: type).decodeInteger(UInt8.self, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.element(for: type).decodeInteger(UInt16.self, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.element(for: type).decodeInteger(UInt32.self, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.element(for: type).decodeInteger(UInt64.self, codingPath) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if case .root = decoder.position { return try T(from: decoder) }
        return try decoder.element(for: type).decode(type, codingPath)
    }
}

/// A coding key for array indices and fixed names in error paths.
struct BSONKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    init(index: Int) {
        stringValue = String(index)
        intValue = index
    }

    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { self.init(index: intValue) }
}
