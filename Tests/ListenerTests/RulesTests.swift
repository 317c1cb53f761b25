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
        let long = String(repeating: "k", count: 1025)
        do {
            _ = try RuleSet.desiredRules(keywords: ["fine", long], rawRules: [])
            Issue.record("a 1025-character keyword must be rejected")
        } catch {
            #expect(error.description.contains("kkkk"))
            #expect(error.description.contains("1025"))
            #expect(error.description.contains("1024"))
        }
        #expect((try? RuleSet.desiredRules(keywords: [String(repeating: "k", count: 1024)], rawRules: [])) != nil)
        do {
            _ = try RuleSet.desiredRules(keywords: [String(repeating: "k", count: 1018)], rawRules: [], lang: "en")
            Issue.record("lang makes the rule 1026 characters")
        } catch {}
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

    @Test func ruleBookResolvesKeywords() {
        let book = RuleBook(serverRules: [
            StreamRule(id: "1", value: "cats", tag: "ns:cats"),
            StreamRule(id: "2", value: "x", tag: "foreign"),
            StreamRule(id: "3", value: "y"),
        ], adopted: ["3": "why"], namespace: namespace, fallbackKeywords: ["Cats", "dogs"])
        #expect(book.keywords(for: [MatchingRule(id: "1", tag: "ns:cats")], text: "") == ["cats"])
        #expect(book.keywords(for: [MatchingRule(id: "1")], text: "") == ["cats"], "tag missing: resolved by id")
        #expect(book.keywords(for: [MatchingRule(id: "2", tag: "foreign"), MatchingRule(id: "3")], text: "") == ["foreign", "why"])
        #expect(book.keywords(for: [MatchingRule(id: "9")], text: "") == ["rule:9"])
        #expect(book.keywords(for: [MatchingRule(id: "1"), MatchingRule(id: "1", tag: "ns:cats")], text: "") == ["cats"])
        #expect(book.keywords(for: [], text: "I love CATS and dogs") == ["Cats", "dogs"])
        #expect(book.keywords(for: [], text: "nothing") == ["unmatched"])
    }

    @Test func fallbackKeywordsAreFoundAnywhereInTheTextWhateverTheCase() {
        var book = RuleBook(fallbackKeywords: ["Café", "climate change", "x"])
        #expect(book.keywords(for: [], text: "CAFÉ au lait") == ["Café"])
        #expect(book.keywords(for: [], text: "about Climate Change") == ["climate change"])
        #expect(book.keywords(for: [], text: "climate chang") == ["unmatched"], "a needle longer than what is left")
        #expect(book.keywords(for: [], text: "") == ["unmatched"])
        #expect(book.keywords(for: [], text: "🙂x") == ["x"], "after multi-byte characters, at the very end")
        book.fallbackKeywords = ["lait"]
        #expect(book.keywords(for: [], text: "CAFÉ au lait") == ["lait"], "a changed keyword list is searched")
        #expect(RuleBook(fallbackKeywords: [""]).keywords(for: [], text: "anything") == ["unmatched"])
    }
}
