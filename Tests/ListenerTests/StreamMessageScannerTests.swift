import PipelineModel
import Foundation
import PipelineTesting
import Testing
@testable import Listener

/// The byte scanner (fast path: `JSONByteCursor` reading the message shape) against the
/// Foundation decoder (general path, `JSONObjectMessage`): on every
/// input, `StreamMessage.decode` must give exactly what Foundation alone gives, and the
/// scanner must actually take the common stream messages (or it would be dead code).
@Suite struct StreamMessageScannerTests {
    typealias Outcome = Result<StreamMessage, MalformedMessage>

    func viaDecode(_ line: String) -> Outcome {
        Result { () throws(MalformedMessage) in try StreamMessage.decode(Array(line.utf8)) }
    }

    func viaFoundation(_ line: String) -> Outcome {
        Array(line.utf8).withUnsafeBytes { raw in
            Result { () throws(MalformedMessage) in try JSONObjectMessage.message(from: raw) }
        }
    }

    func scanned(_ line: String) -> StreamMessage? {
        Array(line.utf8).withUnsafeBytes { StreamMessageScanner.post(in: $0) }.map(StreamMessage.post)
    }

    /// A JSON string literal of `text`, escaped in one of several legal ways.
    static func literal(_ text: String, style: Int) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += style == 0 ? "\\t" : "\\u0009"
            case "/": out += style == 2 ? "\\/" : "/"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else if scalar.value > 0x7F && style == 1 {
                    // \uXXXX, with surrogate pairs above the BMP.
                    for unit in String(scalar).utf16 { out += String(format: "\\u%04X", unit) }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A random stream message: fields in random order, unknown fields of every JSON type,
    /// text with quotes, backslashes, control characters, accents, emoji and entities.
    static func randomMessage(_ random: inout SplitMix64) -> String {
        let pieces = ["coffee", "café", "😀", "☕", "\"quoted\"", "back\\slash", "line\nbreak", "tab\there", "&amp;", "&lt;3",
                      "a/b", "\u{1}", "ß", "𝄞", "日本語", " "]
        let text = (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
        let style = Int.random(in: 0...2, using: &random)
        let id = String(1_800_000_000_000_000_000 + Int.random(in: 0..<1_000_000, using: &random))
        var fields = [
            "\"id\":\(literal(id, style: 0))",
            "\"text\":\(literal(text, style: style))",
            "\"author_id\":\"\(Int.random(in: 1...50, using: &random))\"",
            "\"created_at\":\"2026-11-29T20:52:\(String(format: "%02d", Int.random(in: 0...59, using: &random))).250Z\"",
            "\"lang\":\"en\"",
            "\"edit_history_tweet_ids\":[\"\(id)\"]",
            "\"public_metrics\":{\"like_count\":\(Int.random(in: 0...9, using: &random)),\"ratio\":-1.5e-3,\"ok\":true,\"x\":null}",
        ]
        if Bool.random(using: &random) { fields.append("\"gold_label\":\"positive\"") }
        fields.shuffle(using: &random)
        let users = (0..<Int.random(in: 0...3, using: &random)).map { _ in
            "{\"id\":\"\(Int.random(in: 1...50, using: &random))\",\"name\":\(literal("Name 😀", style: style)),\"username\":\"u\(Int.random(in: 1...9, using: &random))\"}"
        }
        let rules = (0..<Int.random(in: 0...3, using: &random)).map { index in
            Bool.random(using: &random) ? "{\"id\":\"10\(index)\",\"tag\":\(literal("sentiment-listener:café \(index)", style: style))}"
                : "{\"id\":\"10\(index)\"}"
        }
        var top = [
            "\"data\":{\(fields.joined(separator: ","))}",
            "\"includes\":{\"users\":[\(users.joined(separator: ","))],\"tweets\":[]}",
            "\"matching_rules\":[\(rules.joined(separator: ","))]",
        ]
        if Bool.random(using: &random) { top.append("\"future\":[{\"a\":[1,2,{\"b\":\"c\"}]},0,false]") }
        top.shuffle(using: &random)
        let spacing = Bool.random(using: &random) ? " " : ""
        return "{" + spacing + top.joined(separator: "," + spacing) + spacing + "}"
    }

    @Test func randomMessagesDecodeAsFoundationDecodesThem() {
        var random = SplitMix64(seed: 2026)
        var taken = 0
        for _ in 0..<3_000 {
            let line = Self.randomMessage(&random)
            let foundation = viaFoundation(line)
            #expect(viaDecode(line) == foundation, "\(line)")
            if let fast = scanned(line) {
                taken += 1
                #expect(Outcome.success(fast) == foundation, "\(line)")
            }
        }
        #expect(taken == 3_000, "the scanner takes every well-formed stream message")
    }

    @Test func corruptedMessagesAgreeWithFoundation() {
        // Mutations of valid messages: truncations, flipped bytes, inserted characters.
        var random = SplitMix64(seed: 7)
        let inserts = ["\\", "\"", "{", "]", ",", "\\u", "\\ud83d", "\u{0}", "\\x", "1e", "-", "nul", "\u{7f}"]
        for _ in 0..<3_000 {
            var bytes = Array(Self.randomMessage(&random).utf8)
            switch Int.random(in: 0...2, using: &random) {
            case 0: bytes.removeLast(Int.random(in: 1...bytes.count, using: &random))
            case 1: bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            default:
                bytes.insert(contentsOf: Array(inserts.randomElement(using: &random)!.utf8),
                             at: Int.random(in: 0...bytes.count, using: &random))
            }
            let line = String(decoding: bytes, as: UTF8.self)
            let decoded = bytes.withUnsafeBytes { raw in
                Result { () throws(MalformedMessage) in try StreamMessage.decode(raw) }
            }
            let foundation = bytes.withUnsafeBytes { raw in
                Result { () throws(MalformedMessage) in try JSONObjectMessage.message(from: raw) }
            }
            #expect(decoded == foundation, "\(line)")
        }
    }

    @Test(arguments: [
        #"{"data":{"id":"1","text":"\ud83d\ude00 \u00e9\u00E9 \"q\" \\ \/ \b\f\n\r\t"},"matching_rules":[{"id":"9","tag":"t"}]}"#,
        #"{"data":{"id":"1","text":"lone \ud83d here"}}"#,
        #"{"data":{"id":"1","text":"low \ude00 first"}}"#,
        #"{"data":{"id":12345,"text":"numeric id"}}"#,
        #"{"data":{"id":"1","text":null,"lang":null}}"#,
        #"{"data":{"id":"1","text":"x"},"matching_rules":[{"id":9}]}"#,
        #"{"data":{"id":"1","text":"x"},"matching_rules":[{"tag":"no id"}]}"#,
        #"{"data":[{"id":"1","text":"page"},{"id":"2","text":"of posts"}]}"#,
        #"{"id":"1","text":"bare post","author":{"username":"ann"}}"#,
        #"{"errors":[{"title":"operational-disconnect","type":"https://api.twitter.com/2/problems/operational-disconnect"}]}"#,
        #"{"data":{"id":"1","text":"x"}} trailing"#,
        #"{"data":{"id":"1","text":"x"},}"#,
        #"{"data":{"id":"","text":"empty id"}}"#,
        #"{"d\u0061ta":{"id":"1","text":"escaped key"}}"#,
        #"{"data":{"id":"1","text":"x"},"n":01}"#,
        #"{"data":{"id":"1","text":"x"},"n":1.}"#,
        #"{"data":{"id":"1","text":"x"},"n":[tru]}"#,
        #"{"data":{"id":"1","text":"x"},"includes":{"users":[{"id":"1","username":"a"},{"id":"1","username":"b"}]}}"#,
        #"{"data":{"id":"1","text":"x"},"includes":[]}"#,
        #"   {"data":{"id":"1","text":"spaces"}}   "#,
        #"{"data":{"id":"1","text":"x","author_id":"7"},"includes":{"users":[{"id":"\u0037","username":"escaped id"}]}}"#,
        #"{"data":{"id":"1","text":"x","author_id":"K"},"includes":{"users":[{"id":"\u212A","username":"kelvin sign"}]}}"#,
        #"{"data":{"id":"1","text":"x","author_id":"K"},"includes":{"users":[{"id":"\#u{212A}","username":"raw kelvin sign"}]}}"#,
        #"{"data":{"id":"1","text":"x","author_id":"\u212A"},"includes":{"users":[{"id":"K","username":"ascii K"}]}}"#,
        #"{"data":{"id":"1","text":"x","author_id":"7"},"includes":{"users":[{"id":"7"},{"id":"7","username":"second"}]}}"#,
        #"{"data":{"id":"1","text":"x","author_id":"7"},"includes":{"users":[{"id":"77","username":"longer"}]}}"#,
        #"{"data":{"id":"1","text":"x","gold_label":"\u0070ositive","created_at":"2026-11-29T20:52:18.000\u005A"}}"#,
        #"{"data":{"id":"1","text":"x","gold_label":"Positive","created_at":"2026-11-29 20:52:18Z"}}"#,
        #"{"data":{"id":"1","text":"caf\u00e9 &amp; &lt\u037e &gt;","lang":"fr"}}"#,
        #"{"data":{"id":"1","text":"a &amp;lt; b &lt c &gt;&gt; d &amp"}}"#,
        #"{"keepalive":true}"#,
        #"[1,2]"#,
        "",
    ])
    func edgeCasesAgreeWithFoundation(line: String) {
        #expect(viaDecode(line) == viaFoundation(line))
        if let fast = scanned(line) { #expect(Outcome.success(fast) == viaFoundation(line)) }
    }

    @Test func takesEscapesAndSurrogatePairsItself() throws {
        let line = #"{"data":{"id":"1","text":"\ud83d\ude00 caf\u00e9 \"q\" a\/b"}}"#
        let message = try #require(scanned(line))
        guard case .post(let post) = message else { Issue.record("\(message)"); return }
        #expect(post.text == "😀 café \"q\" a/b")
    }
}
