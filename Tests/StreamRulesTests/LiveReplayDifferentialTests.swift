import Foundation
import Listener
import PipelineModel
import Storage
import PipelineTesting
import StreamRules
import StreamSim
import Testing

/// stream-sim's live matching (its `RuleBook.matches`, the interpreter) and a replay of
/// the same posts with the same rules (the compiled `RuleMatcher` behind `Replayer`)
/// must place every post under the same keywords.
@Suite struct LiveReplayDifferentialTests {
    static let rules: [(value: String, tag: String)] = [
        ("art", "art"), ("car OR cars", "cars"), ("air -fair", "air"), ("sun lang:en", "sun"),
        ("\"last night\"", "last night"), ("#love OR @justinbieber", "marked"), ("love is:retweet", "love rt"),
        ("(happy OR sad) -has:links", "mood"), ("has:links good", "good link"), ("from:ann_1", "ann"),
        ("from:@Bob OR (lol lang:fr)", "bob"), ("don't -can't", "dont"), ("😀 OR ☕", "emoji"), ("café", "café"),
    ]

    /// The corpus, plus variants that exercise the operators: other languages, authors,
    /// retweets, links, accents and emoji.
    static func posts() throws -> [TweetCorpus.Post] {
        var random = SplitMix64(seed: 12)
        let extras = ["RT @someone: ", "", "", "https://t.co/x1 ", "#Love ", "@JustinBieber ", "café ", "☕", "😀 ", "LOL "]
        let texts = try TweetCorpus.texts()
        return texts.enumerated().map { index, text in
            var post = TweetCorpus.Post(id: String(index + 1), text: text)
            if index % 3 == 0 { post.text = extras.randomElement(using: &random)! + post.text }
            if index % 5 == 0 { post.text += " " + extras.randomElement(using: &random)! }
            post.lang = ["en", "en", "fr", "EN"].randomElement(using: &random)!
            post.username = ["ann_1", "ANN_1", "bob", "carol", nil].randomElement(using: &random)!
            return post
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func liveAndReplayAgreePostByPost() async throws {
        let posts = try Self.posts()
        var book = RuleBook()
        let outcome = book.add(Self.rules.map { .init(value: $0.value, tag: $0.tag) }, dryRun: false)
        #expect(outcome.created.count == Self.rules.count)
        var live: [String: [String]] = [:]
        for post in posts {
            let facts = PostFacts(text: post.text, lang: post.lang, authorUsername: post.username)
            let tags = book.matches(facts).compactMap(\.tag)
            if !tags.isEmpty { live[post.id] = tags }
        }

        let file = try TweetCorpus.temporaryFile("variants.jsonl")
        try TweetCorpus.write(posts, to: file)
        let matcher = try RuleMatcher(rules: Self.rules.map { TaggedRule(value: $0.value, tag: $0.tag) })
        let collected = Posts()
        let report = try await Replayer(speed: .maximum, rules: .replay(ownRules: matcher))
            .run(files: [file], clock: ContinuousClock(), submit: { await collected.add($0) })
        var replayed: [String: [String]] = [:]
        for post in await collected.posts { replayed[post.id] = post.keywords }

        #expect(report.posts + report.unmatched == posts.count)
        let differing = posts.filter { live[$0.id] != replayed[$0.id] }
        #expect(differing.isEmpty, "first: \(differing.first.map { "\($0.text): live \(live[$0.id] ?? []) replay \(replayed[$0.id] ?? [])" } ?? "")")
        // Every rule matched somewhere, so the agreement is not an agreement on nothing.
        let used = Set(live.values.joined())
        #expect(used == Set(Self.rules.map(\.tag)), "rules that never matched: \(Set(Self.rules.map(\.tag)).subtracting(used))")
    }
}
