import Testing
@testable import StreamRules

/// The rule syntax subset against post texts: what matches and what does not, through
/// both the interpreter (`RuleQuery.matches`) and the compiled `RuleMatcher`.
struct RuleMatchingTests {
    private func matches(_ rule: String, _ text: String, lang: String? = "en", author: String? = nil) throws -> Bool {
        let interpreted = try RuleParser().parse(rule).matches(PostFacts(text: text, lang: lang, authorUsername: author))
        let compiled = try RuleMatcher(rules: [TaggedRule(value: rule, tag: "t")])
            .match(text: text, lang: lang, authorUsername: author).keywords == ["t"]
        #expect(interpreted == compiled, "interpreter and matcher disagree on \(rule) / \(text)")
        return interpreted
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
        ("art", "Art is long", true),
        ("art", "smart party art-deco", true),
        ("art", "smart party", false),
        ("air", "fair hair, airline", false),
        ("sun", "Sunday sun!", true),
        ("\"sea otters\"", "SEA. Otters!", true),
        ("\"sea otters\"", "sea and otters", false),
        ("café", "UN CAFÉ", true),
        ("☕", "coffee☕time", true),
        ("coffee is:retweet", "RT @ann: coffee", true),
        ("coffee is:retweet", "coffee RT @ann", false),
        ("coffee -is:retweet", "RT @ann: coffee", false),
        ("coffee has:links", "coffee https://t.co/abc", true),
        ("coffee has:links", "coffee HTTP://example.org", true),
        ("coffee has:links", "coffee https:// later", false),
        ("coffee has:links", "coffee, no link", false),
        ("coffee -has:links", "coffee, no link", true),
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

    @Test func fromMatchesTheAuthorWhateverTheCase() throws {
        #expect(try matches("from:Barista", "anything", author: "barista"))
        #expect(try matches("from:@barista", "anything", author: "BARISTA"))
        #expect(try !matches("from:barista", "anything", author: "barista2"))
        #expect(try !matches("from:barista", "anything", author: nil))
        #expect(try matches("from:barista OR coffee", "coffee", author: nil))
        #expect(try !matches("coffee -from:barista", "coffee", author: "barista"))
    }

    @Test(arguments: [
        "", "   ", "(coffee", "coffee)", "\"open phrase", "OR coffee", "coffee OR", "coffee OR OR tea",
        "-coffee", "lang:en", "-coffee lang:en", "coffee - tea", "()", "to:jack coffee", "has:media",
        "is:retweet", "has:links", "-is:retweet coffee OR has:links", "coffee is:reply", "from:", "from:ja-ck",
        "coffee lang:", "coffee lang:english", "!!!", "(lang:en) OR -tea",
    ])
    func invalidRulesAreRejected(rule: String) {
        #expect(throws: RuleSyntaxError.self) { try RuleParser().parse(rule) }
    }

    @Test func newOperatorsHaveTheirOwnMessages() {
        #expect(throws: RuleSyntaxError.unsupportedValue(operator: "has", value: "media")) { try RuleParser().parse("coffee has:media") }
        #expect(throws: RuleSyntaxError.invalidUsername("ja-ck")) { try RuleParser().parse("from:ja-ck") }
        #expect(throws: RuleSyntaxError.noStandaloneClause) { try RuleParser().parse("is:retweet has:links") }
        #expect(RuleSyntaxError.unsupportedOperator("to").description
            == "Reference to invalid operator 'to:'. Operator is not available in stream-sim.")
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
