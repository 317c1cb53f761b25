import Foundation
import PipelineModel
import Testing

@Suite struct JSONStringTests {
    /// Strings of random scalars from the ranges that need care: ASCII controls and
    /// punctuation, C1 controls, bidi controls, line separators, and multi-byte text.
    static func randomStrings(count: Int) -> [String] {
        var generator = SystemRandomNumberGenerator()
        let pools: [ClosedRange<UInt32>] = [0x00...0x7F, 0x80...0x9F, 0x2028...0x2029, 0x202A...0x202E,
                                            0x2066...0x2069, 0xE9...0xE9, 0x4E00...0x4E10, 0x1F600...0x1F60F]
        return (0..<count).map { _ in
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...40, using: &generator) {
                let pool = pools.randomElement(using: &generator)!
                text.append(Unicode.Scalar(UInt32.random(in: pool, using: &generator))!)
            }
            return String(text)
        }
    }

    @Test(arguments: [JSONString.Escaping(), .forBrowsers])
    func literalsDecodeBackToTheSameString(_ escaping: JSONString.Escaping) throws {
        for text in Self.randomStrings(count: 2_000) {
            let literal = JSONString.literal(text, escaping: escaping)
            let decoded = try JSONDecoder().decode(String.self, from: Data(literal.utf8))
            #expect(decoded == text, "\(literal)")
            #expect(!literal.contains("\n") && !literal.contains("\r"))
        }
    }

    @Test func forBrowsersLeavesNothingABrowserReadsAsMarkupOrReordering() {
        for text in Self.randomStrings(count: 2_000) + ["</script><b>&amp;", "\u{202E}evil\u{2066}", "a\u{2028}b\u{85}"] {
            let literal = JSONString.literal(text, escaping: .forBrowsers)
            for scalar in literal.unicodeScalars {
                #expect(!"<>&".unicodeScalars.contains(scalar))
                #expect(scalar.value >= 0x20 && scalar.value != 0x7F && !(0x80...0x9F).contains(scalar.value))
                #expect(scalar.value != 0x2028 && scalar.value != 0x2029 && !JSONString.isBidiControl(scalar))
            }
        }
    }

    @Test func plainEscapingKeepsTextAsIsApartFromWhatJSONRequires() {
        #expect(JSONString.literal("a<b>&c é 🎉") == "\"a<b>&c é 🎉\"")
        #expect(JSONString.literal("q\"b\\n\n\t\u{1}") == #""q\"b\\n\n\t\u0001""#)
        var bytes = Array("x=".utf8)
        JSONString.append("é", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x=\"é\"")
    }
}
