import Foundation
import Testing
@testable import Sentiment

/// Model files with an intact checksum whose length and count fields are hostile: each
/// is a typed `ModelFormatError`, never a runtime trap (issue 14, row 3).
@Suite("hostile model files")
struct HostileModelTests {
    /// A file with the given sections, a valid checksum and nothing else wrong.
    static func file(_ sections: [(tag: UInt8, lengthField: UInt64?, payload: [UInt8])]) -> [UInt8] {
        var writer = ByteWriter()
        writer.bytes(ModelFile.magic)
        writer.uint16(UInt16(ModelFile.formatVersion))
        for section in sections {
            writer.byte(section.tag)
            writer.varint(section.lengthField ?? UInt64(section.payload.count))
            writer.bytes(section.payload)
        }
        writer.byte(0)
        writer.uint64(ByteWriter.checksum(writer.output))
        return writer.output
    }

    /// A Naive Bayes payload with chosen fields.
    static func bayes(tokenizerLength: UInt64? = nil, minCount: UInt64 = 1, alpha: Double = 1,
                      termCount: UInt64 = 1) -> [UInt8] {
        var writer = ByteWriter()
        if let tokenizerLength {
            writer.varint(tokenizerLength)
            writer.bytes(Array("words".utf8))
        } else {
            writer.string("words")
        }
        writer.varint(minCount)
        writer.double(alpha)
        for _ in 0..<3 { writer.varint(1) }
        writer.varint(termCount)
        writer.byte(1)
        writer.string("good")
        for _ in 0..<3 { writer.varint(1) }
        return writer.output
    }

    static func hybrid(featureCount: UInt64) -> [UInt8] {
        var writer = ByteWriter()
        writer.string("lexicon")
        writer.varint(featureCount)
        for _ in 0..<(2 * 7 + 8 * 3) { writer.double(0.5) }
        return writer.output
    }

    static let cases: [(String, [UInt8])] = [
        ("section length 2^64-1", file([(1, UInt64.max, [])])),
        ("section length 2^63", file([(1, 1 << 63, bayes())])),
        ("section length beyond the file", file([(1, 1 << 40, bayes())])),
        ("string length 2^64-1", file([(1, nil, bayes(tokenizerLength: .max))])),
        ("string length 2^63+5", file([(1, nil, bayes(tokenizerLength: (1 << 63) + 5))])),
        ("min count 2^64-1", file([(1, nil, bayes(minCount: .max))])),
        ("term count 2^64-1", file([(1, nil, bayes(termCount: .max))])),
        ("term count 2^62", file([(1, nil, bayes(termCount: 1 << 62))])),
        ("term count 2^40", file([(1, nil, bayes(termCount: 1 << 40))])),
        ("α NaN", file([(1, nil, bayes(alpha: .nan))])),
        ("hybrid feature count 2^64-1", file([(1, nil, bayes()), (2, nil, hybrid(featureCount: .max))])),
        ("hybrid feature count 2^61", file([(1, nil, bayes()), (2, nil, hybrid(featureCount: 1 << 61))])),
    ]

    @Test func theBaselineFileLoads() throws {
        let loaded = try ModelFile(bytes: Self.file([(1, nil, Self.bayes())]))
        #expect(loaded.bayes.vocabulary.count == 1)
    }

    @Test(arguments: 0..<cases.count)
    func hostileFieldsAreTypedErrors(index: Int) {
        let (name, bytes) = Self.cases[index]
        #expect(throws: ModelFormatError.self, "\(name)") { try ModelFile(bytes: bytes) }
    }

    @Test func limitsNameTheField() {
        do {
            _ = try ModelFile(bytes: Self.file([(1, nil, Self.bayes(termCount: .max))]))
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("term count"))
            #expect(!"\(error)".contains("\n"))
        }
    }
}
