import Foundation
import Listener
import PipelineModel
import Storage
import StreamRules
import Testing

/// Replays the VADER tweets with keywords that are common substrings of longer words and
/// a phrase; every keyword's count must equal an independent whole-word count.
@Suite struct ReplayCorpusMatchingTests {
    /// Posts whose text holds `words` as consecutive whole words (case-insensitive),
    /// found by a regular expression rather than by the tokenizer under test.
    static func wholeWordCount(_ words: [String], in texts: [String]) throws -> Int {
        let letter = "[\\p{L}\\p{N}_]"
        let body = words.map(NSRegularExpression.escapedPattern(for:)).joined(separator: "[^\\p{L}\\p{N}_]+")
        let pattern = try NSRegularExpression(pattern: "(?<!\(letter))\(body)(?!\(letter))", options: [.caseInsensitive])
        return texts.filter { pattern.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil }.count
    }

    @Test(.timeLimit(.minutes(2)))
    func keywordCountsAreWholeWordCounts() async throws {
        let texts = try TweetCorpus.texts()
        #expect(texts.count == 4200)
        let file = try TweetCorpus.temporaryFile("vader.jsonl")
        try TweetCorpus.write(texts.enumerated().map { TweetCorpus.Post(id: String($0.offset + 1), text: $0.element) }, to: file)
        let keywords = ["art", "car", "air", "sun", "last night"]
        let matcher = try RuleMatcher(rules: keywords.map { TaggedRule.keyword($0) })
        let collected = Posts()
        let report = try await Replayer(speed: .maximum, rules: .replay(ownRules: matcher))
            .run(files: [file], clock: ContinuousClock(), submit: { await collected.add($0) })
        let posts = await collected.posts
        #expect(report.posts == posts.count)
        #expect(report.posts + report.unmatched == texts.count)
        for keyword in keywords {
            let counted = posts.filter { $0.keywords.contains(keyword) }.count
            let expected = try Self.wholeWordCount(keyword.split(separator: " ").map(String.init), in: texts)
            let substrings = texts.filter { $0.lowercased().contains(keyword) }.count
            #expect(counted == expected, "\(keyword): replay counted \(counted), whole words \(expected)")
            #expect(expected > 0, "\(keyword) occurs as a word")
            if keyword != "last night" {
                #expect(substrings > expected, "\(keyword) is also inside longer words (a substring count would be \(substrings))")
            }
        }
    }
}

/// Collects handed-off posts.
actor Posts {
    private(set) var posts: [Post] = []
    func add(_ batch: [Post]) { posts += batch }
}
