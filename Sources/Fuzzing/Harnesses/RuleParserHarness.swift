import StreamRules

/// The stream simulator's rule parser (`RuleParser().parse`, its only public entry) on
/// damaged rule values, deep parentheses included. Invariants: it returns or throws
/// `RuleSyntaxError` (typed), never for a value over the length limit.
public struct RuleParserHarness: FuzzHarness {
    public let name = "rule-parser"
    public let seeds: [[UInt8]] = [
        #"(coffee OR tea) -decaf lang:en"#, #""exact phrase" #swift @alice"#, #"a (b OR (c -d)) e"#,
        #"-(x OR y) z"#, #"café ☕ OR "😀 emoji""#, "lang:xx is:retweet from:me",
    ].map { Array($0.utf8) }

    public let maxLength = 4096

    /// A harness.
    public init() {}

    public mutating func check(_ input: [UInt8]) async throws {
        let value = String(decoding: input, as: UTF8.self)
        let parser = RuleParser()
        if (try? parser.parse(value)) != nil {
            try invariant(value.count <= parser.maxLength, "a value of \(value.count) characters was accepted")
        }
    }
}
