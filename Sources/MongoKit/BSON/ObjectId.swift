import CMongoc
import Foundation

/// A 12-byte MongoDB ObjectId.
public struct ObjectId: Sendable, Hashable, Comparable, CustomStringConvertible {
    var oid: bson_oid_t

    /// A new, process-unique id (timestamp, random, counter).
    public init() {
        oid = bson_oid_t()
        bson_oid_init(&oid, nil)
    }

    init(_ oid: bson_oid_t) {
        self.oid = oid
    }

    /// Parses 24 hex digits; nil if `hex` is not an ObjectId.
    public init?(_ hex: String) {
        guard hex.utf8.count == 24, bson_oid_is_valid(hex, 24) else { return nil }
        oid = bson_oid_t()
        bson_oid_init_from_string(&oid, hex)
    }

    /// 24 lowercase hex digits.
    public var hex: String {
        var copy = oid
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 25) { buffer in
            bson_oid_to_string(&copy, buffer.baseAddress)
            return String(cString: buffer.baseAddress!)
        }
    }

    /// When the id was generated (second precision).
    public var timestamp: Date {
        var copy = oid
        return Date(timeIntervalSince1970: TimeInterval(bson_oid_get_time_t(&copy)))
    }

    /// The hex form.
    public var description: String { hex }

    public static func == (lhs: ObjectId, rhs: ObjectId) -> Bool {
        var l = lhs.oid, r = rhs.oid
        return bson_oid_equal(&l, &r)
    }

    public static func < (lhs: ObjectId, rhs: ObjectId) -> Bool {
        var l = lhs.oid, r = rhs.oid
        return bson_oid_compare(&l, &r) < 0
    }

    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes(of: oid) { hasher.combine(bytes: $0) }
    }
}

extension ObjectId: Codable {
    /// Decodes natively from BSON, or from a hex string elsewhere (e.g. JSON).
    public init(from decoder: Decoder) throws {
        if let bson = decoder as? _BSONDecoder {
            self = try bson.decodeObjectId()
            return
        }
        let container = try decoder.singleValueContainer()
        let hex = try container.decode(String.self)
        guard let id = ObjectId(hex) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ObjectId: \(hex)")
        }
        self = id
    }

    /// Encodes natively to BSON, or as a hex string elsewhere.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if let bson = container as? BSONSingleValueEncodingContainer {
            try bson.encodePrimitive(.objectId(self))
        } else {
            try container.encode(hex)
        }
    }
}
