import Foundation
import PipelineModel
import Storage
import StreamRules
import Testing
@testable import Listener

/// A replay evaluates the run's own rules — keywords as whole words, `--lang`, `--rule`
/// with `--tag` — and falls back to the archived `matching_rules` only without them.
@Suite struct ReplayMatchingTests {
    static func line(_ id: Int, _ text: String, lang: String = "en", username: String? = nil, tag: String? = nil) -> String {
        var data = #"{"id":"\#(id)","text":"\#(text)","lang":"\#(lang)""#
        var includes = ""
        if let username {
            data += #","author_id":"u\#(id)""#
            includes = #","includes":{"users":[{"id":"u\#(id)","username":"\#(username)"}]}"#
        }
        let rules = tag.map { #","matching_rules":[{"id":"7","tag":"\#($0)"}]"# } ?? ""
        return #"{"data":\#(data)}\#(includes)\#(rules)}"#
    }

    static let lines = [
        line(1, "Bitcoin is up", tag: "sentiment-listener:old"),
        line(2, "btc and art", lang: "fr", tag: "sentiment-listener:old"),
        line(3, "the smart cart", tag: "sentiment-listener:old"),
        line(4, "RT @a: art party", lang: "fr", username: "Gallery"),
        line(5, "nothing here", username: "gallery"),
    ]

    func replay(_ rules: [TaggedRule]?, lines: [String] = Self.lines) async throws -> ([Post], Replayer.Report) {
        let file = try temporaryDirectory().appendingPathComponent("posts.jsonl")
        try Data(lines.joined(separator: "\n").utf8).write(to: file)
        let collected = PostCollector()
        let own = try rules.map { try RuleMatcher(rules: $0) }
        let report = try await Replayer(speed: .maximum, rules: .replay(ownRules: own))
            .run(files: [file], clock: ContinuousClock(), submit: { await collected.add($0) })
        return (await collected.posts, report)
    }

    @Test func rulesWithTagsAreHonoured() async throws {
        let (posts, report) = try await replay([
            TaggedRule(value: "bitcoin OR btc", tag: "crypto"),
            TaggedRule(value: "from:gallery", tag: "gallery"),
            TaggedRule(value: "art -is:retweet", tag: "fresh art"),
        ])
        #expect(posts.map(\.id) == ["1", "2", "4", "5"])
        #expect(posts.map(\.keywords) == [["crypto"], ["crypto", "fresh art"], ["gallery"], ["gallery"]])
        #expect(report.unmatched == 1, "post 3: art only inside smart and cart")
    }

    @Test func langIsHonoured() async throws {
        let (posts, _) = try await replay([TaggedRule.keyword("art", lang: "fr")])
        #expect(posts.map(\.id) == ["2", "4"])
        let (english, report) = try await replay([TaggedRule.keyword("art", lang: "en")])
        #expect(english.isEmpty)
        #expect(report.unmatched == 5)
    }

    @Test func archivedTagsCountOnlyWithoutOwnRules() async throws {
        let (posts, _) = try await replay(nil, lines: Array(Self.lines.prefix(3)))
        #expect(posts.map(\.keywords) == [["old"], ["old"], ["old"]])
    }

    @Test func aPostWithoutRulesStopsAReplayWithoutRulesWithOneLine() async throws {
        await #expect {
            _ = try await replay(nil)
        } throws: { error in
            let text = (error as? ListenerError)?.description ?? ""
            return text.contains("without matching_rules") && !text.contains("\n")
        }
        let file = try temporaryDirectory().appendingPathComponent("bare.jsonl")
        try Data(Self.lines[3].utf8).write(to: file)
        #expect(Replayer.firstPostLacksRules(in: file))
        let archived = try temporaryDirectory().appendingPathComponent("archived.jsonl")
        try Data(("\n" + Self.lines[0]).utf8).write(to: archived)
        #expect(!Replayer.firstPostLacksRules(in: archived))
    }

    @Test func aPostWithThirtyOneThousandMatchingRulesGetsAtMostAHundredKeywords() async throws {
        // Foreign tags (used as they are), short enough for the line to stay under 1 MiB.
        let rules = (0..<31_000).map { #"{"id":"\#($0)","tag":"k\#($0)"}"# }.joined(separator: ",")
        let line = #"{"data":{"id":"1","text":"many"},"matching_rules":[\#(rules)]}"#
        let (posts, report) = try await replay(nil, lines: [line])
        #expect(posts.count == 1)
        #expect(posts.first?.keywords == (0..<100).map { "k\($0)" })
        #expect(report.droppedKeywords == 30_900)
        #expect(report.postsOverKeywordLimit == 1)
    }
}
