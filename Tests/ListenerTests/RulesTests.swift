import StreamRules
import Testing
@testable import Listener

@Suite struct RulesTests {
    let namespace = RuleNamespace(prefix: "ns")

    @Test func keywordsBecomeRulesWithLangAndPhrases() throws {
        let rules = try RuleSet.desiredRules(keywords: ["cats", " climate change "], rawRules: [("(a OR b) -c", "ab")], lang: "en")
        #expect(rules == [
            DesiredRule(value: "cats lang:en", keyword: "cats"),
            DesiredRule(value: "\"climate change\" lang:en", keyword: "climate change"),
            DesiredRule(value: "(a OR b) -c", keyword: "ab"),
        ])
    }

    @Test func validationNamesTheCulprit() {
        #expect(throws: RuleValidationError.emptyKeyword) { try RuleSet.desiredRules(keywords: ["ok", "  "], rawRules: []) }
        // A keyword is a keyword name first (at most 128 characters), a rule second.
        do {
            _ = try RuleSet.desiredRules(keywords: ["fine", String(repeating: "k", count: 129)], rawRules: [])
            Issue.record("a 129-character keyword must be rejected")
        } catch {
            #expect(error.description.contains("kkkk"))
            #expect(error.description.contains("128"))
        }
        #expect((try? RuleSet.desiredRules(keywords: [String(repeating: "k", count: 128)], rawRules: [])) != nil)
        let long = String(repeating: "k", count: 1025)
        do {
            _ = try RuleSet.desiredRules(keywords: [], rawRules: [(long, "t")])
            Issue.record("a 1025-character rule must be rejected")
        } catch {
            #expect(error.description.contains("kkkk"))
            #expect(error.description.contains("1025"))
            #expect(error.description.contains("1024"))
        }
        #expect((try? RuleSet.desiredRules(keywords: [], rawRules: [(String(long.dropFirst()), "t")])) != nil)
        #expect(throws: RuleValidationError.noRules) { try RuleSet.desiredRules(keywords: [], rawRules: []) }
        #expect(throws: RuleValidationError.missingTag(rule: "x y")) { try RuleSet.desiredRules(keywords: [], rawRules: [("x y", " ")]) }
        #expect(throws: RuleValidationError.emptyRule(tag: "t")) { try RuleSet.desiredRules(keywords: [], rawRules: [("", "t")]) }
    }

    @Test func planDeletesOnlyStaleOwnedRulesAndAddsMissing() {
        let current = [
            StreamRule(id: "1", value: "cats", tag: "ns:cats"),            // still wanted: keep
            StreamRule(id: "2", value: "dogs", tag: "ns:dogs"),            // no longer wanted: delete
            StreamRule(id: "3", value: "birds", tag: "someone-else"),      // foreign: never touched
            StreamRule(id: "4", value: "fish"),                            // untagged, foreign
            StreamRule(id: "5", value: "cats", tag: "ns:cats"),            // duplicate of 1: delete
            StreamRule(id: "6", value: "owls lang:en", tag: "ns:old-owls"), // value wanted, tag changed: delete
            StreamRule(id: "7", value: "fishing", tag: "nsx:fishing"),     // prefix must end at the colon
        ]
        let desired = [
            DesiredRule(value: "cats", keyword: "cats"),
            DesiredRule(value: "owls lang:en", keyword: "owls"),
            DesiredRule(value: "fish", keyword: "fish"),
            DesiredRule(value: "frogs", keyword: "frogs"),
        ]
        let plan = RulesPlan(current: current, desired: desired, namespace: namespace)
        #expect(plan.deletes == ["2", "5", "6"])
        #expect(plan.adds == [StreamRule(id: "", value: "owls lang:en", tag: "ns:owls"), StreamRule(id: "", value: "frogs", tag: "ns:frogs")])
        #expect(plan.adopted == ["4": "fish"])
        #expect(!plan.isEmpty)
        let synced = RulesPlan(current: [StreamRule(id: "1", value: "cats", tag: "ns:cats")], desired: [desired[0]], namespace: namespace)
        #expect(synced.isEmpty)
    }

    @Test func keywordResolverResolvesKeywords() throws {
        let book = KeywordResolver(serverRules: [
            StreamRule(id: "1", value: "cats", tag: "ns:cats"),
            StreamRule(id: "2", value: "x", tag: "foreign"),
            StreamRule(id: "3", value: "y"),
        ], adopted: ["3": "why"], namespace: namespace,
           ownRules: try RuleMatcher(rules: [TaggedRule.keyword("Cats"), TaggedRule.keyword("dogs")]))
        func keywords(_ rules: [MatchingRule], text: String = "") -> [String] {
            book.resolve(text: text, lang: nil, authorUsername: nil, matchingRules: rules).keywords
        }
        #expect(keywords([MatchingRule(id: "1", tag: "ns:cats")]) == ["cats"])
        #expect(keywords([MatchingRule(id: "1")]) == ["cats"], "tag missing: resolved by id")
        #expect(keywords([MatchingRule(id: "2", tag: "foreign"), MatchingRule(id: "3")]) == ["foreign", "why"])
        #expect(keywords([MatchingRule(id: "9")]) == ["rule:9"])
        #expect(keywords([MatchingRule(id: "1"), MatchingRule(id: "1", tag: "ns:cats")]) == ["cats"])
        #expect(keywords([MatchingRule(id: "1", tag: "ns:cats")], text: "dogs") == ["cats"], "live: the server's match wins")
        #expect(keywords([], text: "I love CATS and dogs") == ["Cats", "dogs"], "no matching_rules: the own rules place it")
        #expect(keywords([], text: "hotdogs") == [], "never inside a longer word")
        #expect(keywords([], text: "nothing") == [])
    }

    @Test func aTagThatIsNoKeywordNameFallsBackToTheRuleID() {
        let book = KeywordResolver(namespace: namespace)
        let long = String(repeating: "k", count: KeywordName.maximumLength + 1)
        #expect(book.keywords(for: [MatchingRule(id: "7", tag: "ns:")]).keywords == ["rule:7"])
        #expect(book.keywords(for: [MatchingRule(id: "7", tag: "bad\u{7}tag")]).keywords == ["rule:7"])
        #expect(book.keywords(for: [MatchingRule(id: "7", tag: long)]).keywords == ["rule:7"])
        #expect(book.keywords(for: [MatchingRule(id: "7", tag: String(long.dropLast()))]).keywords == [String(long.dropLast())])
        #expect(book.keywords(for: [MatchingRule(id: "\n", tag: "\n")]).keywords == [])
        #expect(book.keywords(for: [MatchingRule(id: "7", tag: "ns:café ☕")]).keywords == ["café ☕"])
    }

    @Test func aPostWithThirtyOneThousandRulesKeepsTheFirstHundredKeywords() {
        let book = KeywordResolver(namespace: namespace)
        // Every tag distinct, each rule listed twice: 31,000 entries, 15,500 keywords.
        let rules = (0..<31_000).map { MatchingRule(id: "\($0 / 2)", tag: "ns:k\($0 / 2)") }
        let resolution = book.keywords(for: rules)
        #expect(resolution.keywords == (0..<100).map { "k\($0)" })
        #expect(resolution.dropped == 15_400)
    }

    @Test func keywordsAndTagsMustBeKeywordNames() throws {
        #expect(throws: RuleValidationError.self) { try RuleSet.desiredRules(keywords: ["tab\there"], rawRules: []) }
        #expect(throws: RuleValidationError.self) {
            try RuleSet.desiredRules(keywords: [String(repeating: "a", count: 129)], rawRules: [])
        }
        #expect(throws: RuleValidationError.self) { try RuleSet.desiredRules(keywords: [], rawRules: [("cats", "a\u{0}b")]) }
        #expect(try RuleSet.desiredRules(keywords: ["sea otters"], rawRules: [], lang: "en").map(\.value)
            == ["\"sea otters\" lang:en"])
    }
}
