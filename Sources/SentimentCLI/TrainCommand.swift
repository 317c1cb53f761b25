import ArgumentParser
import Wiring
import Foundation
import Sentiment

/// `sentiment train`: fits a Naive Bayes model (and optionally the hybrid combiner).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a Naive Bayes model from JSONL (text, label) or ground-truth TSV (id, rating, text).",
        discussion: """
            `--default` rebuilds lexicons/\(EngineFactory.defaultModelName) byte for byte: the train part \
            of the ground-truth tweets plus the movie, Amazon and NYT snippets from .cache/corpora \
            (scripts/fetch-corpora), min count \(TrainCommand.defaultMinCount), α 1.
            """
    )

    static let defaultMinCount = 3
    static let snippetFiles = [
        "movieReviewSnippets_GroundTruth.txt", "amazonReviewSnippets_GroundTruth.txt",
        "nytEditorialSnippets_GroundTruth.txt",
    ]

    @Option(help: "Training data (the hybrid combiner is fitted on this file only).")
    var data: String?

    @Option(help: "Part of --data to train on: all, or the train/test part of the seeded 80/20 split.")
    var split: SplitChoice = .all

    @Option(help: "Additional data for Naive Bayes only (repeatable).")
    var extra: [String] = []

    @Option(help: "Where to write the model.")
    var out: String?

    @Option(help: "Lidstone smoothing α (1 = Laplace).")
    var alpha: Double = 1

    @Option(help: "Minimum occurrences for a unigram or bigram to become a feature.")
    var minCount: Int?

    @Flag(help: "Also fit the hybrid combiner (needs the lexicon engine).")
    var hybrid = false

    @Flag(name: .customLong("default"), help: "Rebuild the shipped default model from .cache/corpora.")
    var buildDefault = false

    @Option(help: "Folder of the ground-truth corpora for --default.")
    var corpora = ".cache/corpora"

    func validate() throws {
        if !buildDefault {
            guard data != nil else { throw ValidationError("--data FILE is required (or --default)") }
            guard out != nil else { throw ValidationError("--out MODEL is required (or --default)") }
        }
        guard alpha >= 0, alpha.isFinite else { throw ValidationError("--alpha must be a finite number ≥ 0") }
        if let minCount, minCount < 1 { throw ValidationError("--min-count must be at least 1") }
    }

    func run() throws {
        let dataPath = data ?? corpora + "/tweets_GroundTruth.txt"
        let extraPaths = buildDefault && extra.isEmpty ? Self.snippetFiles.map { corpora + "/" + $0 } : extra
        let outPath = out ?? "lexicons/" + EngineFactory.defaultModelName
        let part = buildDefault && split == .all ? SplitChoice.train : split
        let minimum = minCount ?? (buildDefault ? Self.defaultMinCount : 1)
        let withHybrid = hybrid || buildDefault

        let primary = part.apply(try CorpusLoader.load(dataPath))
        let extras = try extraPaths.flatMap { try CorpusLoader.load($0) }
        guard !primary.isEmpty else { throw CommandFailure("\(dataPath): no usable lines") }
        let started = Date()
        let file: ModelFile
        do {
            if withHybrid {
                file = try HybridTrainer(tokenizer: WordTokenizer(), alpha: alpha, minCount: minimum)
                    .train(tweets: primary, extra: extras, lexicon: try EngineFactory.lexiconEngine())
            } else {
                let all = extras + primary
                file = ModelFile(bayes: try NaiveBayesModel.train(
                    texts: all.map(\.text), labels: all.map(\.label), tokenizer: WordTokenizer(),
                    alpha: alpha, minCount: minimum))
            }
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure("training failed: \(error)")
        }
        try EngineFactory.save(file, to: outPath)
        let seconds = Date().timeIntervalSince(started)
        StandardStreams.message("""
            trained on \(primary.count + extras.count) texts (\(primary.count) from \(dataPath)) in \
            \(String(format: "%.2f", seconds)) s: \(file.bayes.vocabulary.count) features, \
            hybrid \(file.hybrid == nil ? "no" : "yes") → \(outPath)
            """)
    }
}
