import Foundation
import MongoKit
import Testing

/// Codable ↔ BSON through libbson, without a server.
@Suite("BSON coding")
struct BSONCodingTests {
    enum Mood: String, Codable, Equatable { case happy, sad }

    struct Author: Codable, Equatable {
        var handle: String
        var followers: Int
    }

    struct Sample: Codable, Equatable {
        var id: ObjectId
        var text: String
        var count: Int
        var small: Int32
        var big: Int64
        var score: Double
        var flag: Bool
        var at: Date
        var note: String?
        var tags: [String]
        var matrix: [[Int]]
        var author: Author
        var authors: [Author]
        var counts: [String: Int]
        var blob: Data
        var mood: Mood
        var maybeScores: [Double?]
    }

    static func sample(note: String? = nil) -> Sample {
        Sample(id: ObjectId(), text: "héllo 世界 👋🏽 \u{0}end", count: 42, small: -7, big: Int64.max, score: -0.125,
               flag: true, at: Date(timeIntervalSince1970: 1_700_000_000.123), note: note,
               tags: ["a", "", "ünï"], matrix: [[1, 2], [], [3]],
               author: Author(handle: "@x", followers: 3),
               authors: [Author(handle: "@a", followers: 1), Author(handle: "@b", followers: 2)],
               counts: ["positive": 3, "negative": 1], blob: Data([0, 1, 2, 255]), mood: .sad,
               maybeScores: [1.5, nil, 2])
    }

    @Test func roundTripKeepsEveryValue() throws {
        for value in [Self.sample(), Self.sample(note: "présent")] {
            let document = try BSONEncoder().encode(value)
            let decoded = try BSONDecoder().decode(Sample.self, from: document)
            #expect(decoded == value)
            // Through bytes too: what the server stores is what comes back.
            let reparsed = try BSONDocument(bytes: document.bytes)
            #expect(try BSONDecoder().decode(Sample.self, from: reparsed) == value)
        }
    }

    @Test func encodesNativeBSONTypes() throws {
        let value = Self.sample()
        let document = try BSONEncoder().encode(value)
        #expect(document["id"] == .objectId(value.id))
        #expect(document["count"] == .int64(42))
        #expect(document["small"] == .int32(-7))
        #expect(document["at"] == .date(Date(timeIntervalSince1970: 1_700_000_000.123)))
        #expect(document["blob"] == .binary(Data([0, 1, 2, 255]), subtype: 0))
        #expect(document["mood"] == .string("sad"))
        #expect(document["note"] == nil, "nil optionals are omitted")
        #expect(document["author"] == ["handle": "@x", "followers": 3])
        #expect(document["maybeScores"] == [.double(1.5), .null, .double(2)])
        #expect(document.keys.first == "id", "fields keep declaration order")
    }

    @Test func datesKeepMillisecondPrecision() throws {
        struct Stamp: Codable { var at: Date }
        let document = try BSONEncoder().encode(Stamp(at: Date(timeIntervalSince1970: -1.0015)))
        let decoded = try BSONDecoder().decode(Stamp.self, from: document)
        let milliseconds = Int64((decoded.at.timeIntervalSince1970 * 1000).rounded())
        #expect(milliseconds == -1002 || milliseconds == -1001)
        #expect(abs(decoded.at.timeIntervalSince1970 * 1000 - Double(milliseconds)) < 1e-3, "whole milliseconds")
        #expect(document["at"] == .date(decoded.at))
    }

    @Test func decodesFieldsInAnyOrderAndConvertsNumbers() throws {
        let document: BSONDocument = ["followers": .int32(9), "extra": [1, 2], "handle": "@late"]
        #expect(try BSONDecoder().decode(Author.self, from: document) == Author(handle: "@late", followers: 9))
        struct Numbers: Codable { var a: Int; var b: Double; var c: Int32 }
        let numbers = try BSONDecoder().decode(Numbers.self, from: ["a": 3.0, "b": .int64(4), "c": .int64(5)])
        #expect(numbers.a == 3 && numbers.b == 4 && numbers.c == 5)
    }

    @Test func reportsMismatchesAndMissingFields() throws {
        #expect(throws: DecodingError.self) {
            try BSONDecoder().decode(Author.self, from: ["handle": 5, "followers": 1])
        }
        #expect(throws: DecodingError.self) {
            try BSONDecoder().decode(Author.self, from: ["handle": "@x"])
        }
        #expect(throws: DecodingError.self) {
            try BSONDecoder().decode(Author.self, from: ["handle": "@x", "followers": 1.5])
        }
        #expect(throws: EncodingError.self) {
            try BSONEncoder().encode([1, 2, 3])  // a document must be keyed
        }
    }

    @Test func largeDocumentsRoundTrip() throws {
        struct Large: Codable, Equatable { var text: String; var values: [Int]; var nested: [Author] }
        let value = Large(text: String(repeating: "ü", count: 1 << 20), values: Array(0..<50_000),
                          nested: (0..<2_000).map { Author(handle: "@\($0)", followers: $0) })
        let document = try BSONEncoder().encode(value)
        #expect(document.byteCount > 2_000_000)
        #expect(try BSONDecoder().decode(Large.self, from: document) == value)
    }

    @Test func literalsKeepOrderAndReadBack() throws {
        var document: BSONDocument = ["b": 1, "a": ["x": true, "y": [1, "two", nil]], "c": 2.5]
        document.append("d", .date(Date(timeIntervalSince1970: 0)))
        #expect(document.keys == ["b", "a", "c", "d"])
        #expect(document.count == 4)
        #expect(document["a"]?.documentValue?["y"] == [1, "two", nil])
        #expect(document["missing"] == nil)
        let parsed = try BSONDocument(json: #"{"b": {"$numberLong": "1"}, "a": {"x": true, "y": [{"$numberLong": "1"}, "two", null]}, "c": 2.5, "d": {"$date": 0}}"#)
        #expect(parsed == document)
    }

    @Test func copiesAreIndependent() {
        let original: BSONDocument = ["a": 1]
        var copy = original
        copy.append("b", 2)
        #expect(original.count == 1)
        #expect(copy.count == 2)
    }

    @Test func objectIdsParseAndOrder() throws {
        let first = ObjectId()
        let second = ObjectId()
        #expect(first < second)
        #expect(ObjectId(first.hex) == first)
        #expect(first.hex.count == 24)
        #expect(ObjectId("not-an-id") == nil)
        #expect(ObjectId("zzzzzzzzzzzzzzzzzzzzzzzz") == nil)
        #expect(abs(first.timestamp.timeIntervalSinceNow) < 3600)
    }

    @Test func bsonDocumentsNestInsideCodableValues() throws {
        struct Envelope: Codable, Equatable { var name: String; var payload: BSONDocument; var any: BSONValue }
        let value = Envelope(name: "n", payload: ["k": [1, 2]], any: ["deep": ["deeper": "x"]])
        let document = try BSONEncoder().encode(value)
        #expect(document["payload"] == ["k": [1, 2]])
        #expect(try BSONDecoder().decode(Envelope.self, from: document) == value)
    }
}
