import Testing
@testable import StreamSim

/// The rule syntax subset against post texts: what matches and what does not.
struct RuleMatchingTests {
    private func matches(_ rule: String, _ text: String, lang: String? = "en") throws -> Bool {
        try RuleParser().parse(rule).matches(PostTokens(text), lang: lang)
    }

    @Test(arguments: [
        ("coffee", "I love Coffee!", true),
        ("coffee", "coffeehouse vibes", false),
        ("coffee", "#coffee time", true),
        ("coffee tea", "tea and coffee", true),
        ("coffee tea", "just coffee", false),
        ("coffee OR tea", "just tea", true),
        ("coffee OR tea", "just water", false),
        ("coffee -decaf", "coffee, not decaf", false),
        ("coffee -decaf", "strong coffee", true),
        ("(coffee OR tea) morning", "tea in the morning", true),
        ("(coffee OR tea) morning", "tea at night", false),
        ("coffee tea OR water", "water only", true),
        ("coffee tea OR water", "coffee only", false),
        ("\"good morning\"", "Good morning, world", true),
        ("\"good morning\"", "morning is good", false),
        ("\"good morning\" -rain", "good morning rain", false),
        ("#coffee", "I like coffee", false),
        ("#coffee", "I like #Coffee", true),
        ("@barista", "thanks @Barista", true),
        ("café", "un café noir", true),
        ("café", "un cafe noir", false),
        ("-(rain OR snow) weekend", "sunny weekend", true),
        ("-(rain OR snow) weekend", "snow this weekend", false),
        ("don't", "I don't know", true),
    ])
    func keywordSyntax(rule: String, text: String, expected: Bool) throws {
        #expect(try matches(rule, text) == expected)
    }

    @Test func langOperatorCombinesWithKeywords() throws {
        #expect(try matches("coffee lang:en", "coffee", lang: "en"))
        #expect(try !matches("coffee lang:en", "coffee", lang: "fr"))
        #expect(try !matches("coffee lang:en", "coffee", lang: nil))
        #expect(try matches("(coffee lang:fr) OR tea", "coffee", lang: "FR"))
    }

    @Test(arguments: [
        "", "   ", "(coffee", "coffee)", "\"open phrase", "OR coffee", "coffee OR", "coffee OR OR tea",
        "-coffee", "lang:en", "-coffee lang:en", "coffee - tea", "()", "from:jack coffee", "has:media",
        "coffee lang:", "coffee lang:english", "!!!", "(lang:en) OR -tea",
    ])
    func invalidRulesAreRejected(rule: String) {
        #expect(throws: RuleSyntaxError.self) { try RuleParser().parse(rule) }
    }

    @Test func lengthLimitIsEnforcedAtTheBoundary() throws {
        let parser = RuleParser(maxLength: 1024)
        let atLimit = String(repeating: "a", count: 1024)
        _ = try parser.parse(atLimit)
        #expect(throws: RuleSyntaxError.tooLong(limit: 1024)) { try parser.parse(atLimit + "a") }
    }

    @Test func tokensSplitOnPunctuationAndKeepMarkers() {
        let tokens = PostTokens("Hey @Ann, #Mondays are... OK?")
        #expect(tokens.words == ["hey", "ann", "mondays", "are", "ok"])
        #expect(tokens.contains(word: "ann", marker: "@"))
        #expect(!tokens.contains(word: "hey", marker: "#"))
    }
}
