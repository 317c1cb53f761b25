import PipelineModel
import PipelineTesting
import Testing
@testable import StreamRules

/// The compiled matcher: tag order and sharing, the keyword limit, and its byte-level
/// tokenizer against the `PostTokens` interpreter on random text.
@Suite struct RuleMatcherTests {
    @Test func tagsComeOnceInTheOrderTheyFirstAppear() throws {
        let matcher = try RuleMatcher(rules: [
            TaggedRule(value: "tea", tag: "drinks"), TaggedRule(value: "cake", tag: "food"),
            TaggedRule(value: "coffee", tag: "drinks"),
        ])
        #expect(matcher.match(text: "coffee and cake").keywords == ["drinks", "food"])
        #expect(matcher.match(text: "coffee, tea").keywords == ["drinks"])
        #expect(matcher.match(text: "water").keywords == [])
    }

    @Test func keywordsBecomePhrasesAndTakeTheLanguage() throws {
        #expect(TaggedRule.keyword("sea otters") == TaggedRule(value: "\"sea otters\"", tag: "sea otters"))
        #expect(TaggedRule.keyword("coffee", lang: "fr") == TaggedRule(value: "coffee lang:fr", tag: "coffee"))
        #expect(TaggedRule.keyword("say \"hi\" there").value == "\"say hi there\"")
        let matcher = try RuleMatcher(rules: [TaggedRule.keyword("sea otters", lang: "en")])
        #expect(matcher.match(text: "Sea-otters!", lang: "en").keywords == ["sea otters"])
        #expect(matcher.match(text: "Sea-otters!", lang: "de").keywords == [])
        #expect(matcher.match(text: "otters at sea", lang: "en").keywords == [])
    }

    @Test func atMostTheLimitIsReturnedAndTheRestCounted() throws {
        let rules = (0..<250).map { TaggedRule(value: "w\($0) OR common", tag: "t\($0)") }
        let matcher = try RuleMatcher(rules: rules)
        let match = matcher.match(text: "common")
        #expect(match.keywords == (0..<100).map { "t\($0)" })
        #expect(match.dropped == 150)
        let small = try RuleMatcher(rules: rules, keywordLimit: 1)
        #expect(small.match(text: "w7 w3").keywords == ["t3"])
        #expect(small.match(text: "w7 w3").dropped == 1)
    }

    @Test func anInvalidRuleIsNamed() {
        #expect(throws: InvalidRule.self) { try RuleMatcher(rules: [TaggedRule(value: "coffee OR", tag: "c")]) }
        let (matcher, invalid) = RuleMatcher.compilingValid([TaggedRule(value: "to:x coffee", tag: "c"), TaggedRule(value: "tea", tag: "t")])
        #expect(invalid.map(\.rule.tag) == ["c"])
        #expect(invalid.first?.description.hasPrefix("the rule \"to:x coffee\" (tag c) is invalid: Reference to invalid operator 'to:'") == true)
        #expect(matcher.match(text: "tea").keywords == ["t"])
    }

    @Test func compiledMatchingEqualsTheInterpreterOnRandomText() throws {
        var random = SplitMix64(seed: 7)
        let words = ["coffee", "Coffee", "COFFEE", "tea", "te", "tEa_time", "café", "CAFÉ", "cafe\u{301}", "über", "ÜBER",
                     "İstanbul", "istanbul", "☕", "😀", "x2", "2", "_"]
        let separators = [" ", " ", ",", "#", "@", "-", "'", "!", "\n", "\r\n", "\u{A0}", "…", "", "RT @", "https://t.co/a "]
        let rules = [
            "coffee", "tea", "\"coffee tea\"", "#coffee", "@tea", "café", "über", "istanbul", "☕ OR 😀", "x2 -tea",
            "tea_time", "coffee is:retweet", "tea has:links", "(coffee OR tea) -(x2 OR _)", "2", "from:ann coffee",
        ]
        let tagged = rules.enumerated().map { TaggedRule(value: $0.element, tag: "r\($0.offset)") }
        let matcher = try RuleMatcher(rules: tagged, keywordLimit: 1000)
        let queries = try rules.map { try RuleParser().parse($0) }
        for _ in 0..<5_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...8, using: &random) {
                text += separators.randomElement(using: &random)! + words.randomElement(using: &random)!
            }
            let author = ["ann", "Ann", nil].randomElement(using: &random)!
            let facts = PostFacts(text: text, lang: "en", authorUsername: author)
            let expected = queries.indices.filter { queries[$0].matches(facts) }.map { "r\($0)" }
            let found = matcher.match(text: text, lang: "en", authorUsername: author).keywords
            #expect(found == expected, "\(text.debugDescription)")
            if found != expected { break }
        }
    }
}
