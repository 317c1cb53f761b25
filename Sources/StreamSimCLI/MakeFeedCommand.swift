import PipelineModel
import ArgumentParser
import Foundation
import Sentiment
import StreamSim

/// `stream-sim make-feed`: build the demo archive from the VADER ground-truth tweets.
struct MakeFeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make-feed",
        abstract: "Turn the VADER ground-truth tweets into a v2 stream archive (deterministic bytes).",
        discussion: """
        Each line is {"data":{id,text,created_at,author_id,lang,edit_history_tweet_ids,\
        gold_label,gold_rating,corpus_id},"includes":{"users":[{id,name,username}]}}. \
        Post i gets keyword i mod K: appended as " #keyword" unless the text already has it. \
        gold_label is the paper's 3-class label of the mean rating (normalised /4, \
        thresholds +/-0.05). Text carries &amp; &lt; &gt; as the API sends it.
        """)

    @Option(help: "The ground-truth TSV (id, mean rating, text), as fetched by scripts/fetch-corpora.")
    var groundTruth = ".cache/corpora/tweets_GroundTruth.txt"

    @Option(help: "Output archive; a name ending in .gz is gzip-compressed.")
    var out: String

    @Option(help: "Comma-separated demo keywords.")
    var keywords = "coffee,weekend,music"

    @Option(help: "created_at of the first post (ISO 8601, UTC).")
    var start = "2026-01-01T12:00:00Z"

    @Option(help: "Minutes the posts are spread over.")
    var windowMinutes: Double = 60

    @Option(help: "Repeat the corpus this many times with fresh ids (bigger feeds for benchmarks).")
    var copies = 1

    @Option(help: "Which tweets: all, or the train/test part of the seeded stratified 80/20 split the sentiment engine uses (test = held out from the default model).")
    var split: CorpusPart = .all

    /// A part of the ground-truth tweets.
    enum CorpusPart: String, CaseIterable, ExpressibleByArgument {
        case all, train, test
    }

    func run() throws {
        guard let startDate = ISO8601DateFormatter().date(from: start) else {
            fail("--start must be ISO 8601 like 2026-01-01T12:00:00Z (got '\(start)')")
        }
        guard copies >= 1, windowMinutes >= 0 else { fail("--copies must be at least 1 and --window-minutes not negative") }
        guard let data = FileManager.default.contents(atPath: groundTruth) else {
            fail("cannot read \(groundTruth) (run scripts/fetch-corpora first)")
        }
        let words = keywords.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let groundTruthText = String(decoding: data, as: UTF8.self)
        let builder = DemoFeedBuilder(keywords: words, start: startDate, window: windowMinutes * 60, copies: copies,
                                      corpusIDs: corpusIDs(groundTruthText))
        let output = builder.build(groundTruth: groundTruthText)
        guard output.posts > 0 else { fail("\(groundTruth) has no id<TAB>rating<TAB>text lines") }
        do {
            try FeedArchive.write(output.archive, to: out)
        } catch {
            fail(error.description)
        }
        var message = "stream-sim: wrote \(output.posts) posts to \(out)"
        if output.malformedLines > 0 { message += ", skipped \(output.malformedLines) malformed lines" }
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// The corpus ids of the chosen part, split exactly as `sentiment train/eval --split` do.
    private func corpusIDs(_ text: String) -> Set<String>? {
        guard split != .all else { return nil }
        let items: [LabelledText]
        do {
            items = try CorpusParser.parseAll(text, format: .groundTruth)
        } catch {
            fail("\(groundTruth): \(error)")
        }
        let parts = CorpusSplit.tweets(items)
        return Set((split == .test ? parts.test : parts.train).compactMap(\.id))
    }
}
