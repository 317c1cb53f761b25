import CMongoc
import Foundation

// The three coding containers of `_BSONEncoder`: each appends to the node it writes to.

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
