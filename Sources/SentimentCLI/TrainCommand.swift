import ArgumentParser
import Wiring
import Foundation
import Sentiment

/// `sentiment train`: fits Naive Bayes and logistic regression (and optionally the hybrid combiner).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train Naive Bayes and logistic regression from JSONL (text, label) or ground-truth TSV (id, rating, text).",
        discussion: """
            `--default` rebuilds lexicons/\(EngineFactory.defaultModelName) byte for byte from corpora/ alone: \
            base learners on the train parts of \(TrainCommand.defaultCorpora.joined(separator: ", ")), the \
            hybrid's weighting, lexicon vote, offsets (never below the lexicon on a dev corpus) and \
            temperature chosen on their dev parts; min count \
            \(TrainCommand.defaultMinCount), α 1, L2 \(LogisticModel.defaultL2). Test parts are never read.
            """
    )

    static let defaultMinCount = 3
    /// The corpora of the default model, in the order their texts are read.
    static let defaultCorpora = ["vader-tweets", "vader-snippets", "goemotions", "finance-tweets"]

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

    @Option(help: "L2 strength of the logistic regression (mean log-loss + l2/2·‖W‖²).")
    var l2: Double = LogisticModel.defaultL2

    @Flag(help: "Naive Bayes counts each feature once per text (presence) instead of every occurrence.")
    var binary = false

    @Option(help: "Minimum occurrences for a unigram or bigram to become a feature.")
    var minCount: Int?

    @Flag(help: "Also fit the hybrid combiner (needs the lexicon engine).")
    var hybrid = false

    @Flag(name: .customLong("default"), help: "Rebuild the shipped default model from corpora/.")
    var buildDefault = false

    @Option(help: "Folder of the JSONL corpora for --default.")
    var corpora = "corpora"

    func validate() throws {
        if !buildDefault {
            guard data != nil else { throw ValidationError("--data FILE is required (or --default)") }
            guard out != nil else { throw ValidationError("--out MODEL is required (or --default)") }
        }
        guard alpha >= 0, alpha.isFinite else { throw ValidationError("--alpha must be a finite number ≥ 0") }
        guard l2 > 0, l2.isFinite else { throw ValidationError("--l2 must be a finite number > 0") }
        if let minCount, minCount < 1 { throw ValidationError("--min-count must be at least 1") }
    }

    func run() throws {
        let outPath = out ?? "lexicons/" + EngineFactory.defaultModelName
        let minimum = minCount ?? (buildDefault ? Self.defaultMinCount : 1)
        let started = Date()
        let file: ModelFile
        let summary: String
        do {
            var trainer = HybridTrainer(tokenizer: WordTokenizer(), alpha: alpha, minCount: minimum)
            trainer.l2 = l2
            trainer.binary = binary
            if buildDefault {
                let load = { (part: String) in
                    try Self.defaultCorpora.flatMap { try CorpusLoader.load("\(corpora)/\($0).\(part).jsonl") }
                }
                let train = try load("train"), dev = try load("dev")
                guard !train.isEmpty, !dev.isEmpty else { throw CommandFailure("\(corpora): no usable lines") }
                file = try trainer.train(train: train, dev: dev, lexicon: try EngineFactory.lexiconEngine())
                summary = "\(train.count) train and \(dev.count) dev texts from \(corpora)"
            } else {
                guard let dataPath = data else { throw CommandFailure("--data FILE is required (or --default)") }
                let primary = split.apply(try CorpusLoader.load(dataPath))
                let extras = try extra.flatMap { try CorpusLoader.load($0) }
                guard !primary.isEmpty else { throw CommandFailure("\(dataPath): no usable lines") }
                if hybrid {
                    file = try trainer.train(tweets: primary, extra: extras, lexicon: try EngineFactory.lexiconEngine())
                } else {
                    let all = extras + primary
                    let (bayes, logistic) = try trainer.baseEngines(texts: all.map(\.text), labels: all.map(\.label))
                    file = ModelFile(bayes: bayes.model, logistic: logistic.model)
                }
                summary = "\(primary.count + extras.count) texts (\(primary.count) from \(dataPath))"
            }
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure("training failed: \(error)")
        }
        try EngineFactory.save(file, to: outPath)
        let seconds = Date().timeIntervalSince(started)
        StandardStreams.message("""
            trained on \(summary) in \(String(format: "%.2f", seconds)) s: \(file.bayes.vocabulary.count) features, \
            hybrid \(file.hybrid == nil ? "no" : "yes") → \(outPath)
            """)
    }
}
