import PipelineModel
import ArgumentParser
import Wiring
import Foundation
import Sentiment

/// `sentiment eval`: accuracy, macro-F1, macro-recall, confusion matrix and throughput.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate an engine on labelled data (JSONL or ground-truth TSV).",
        discussion: EvalCommand.protocolNote
    )

    /// How the hybrid's settings were chosen, so a test-part figure is read correctly.
    static let protocolNote = """
        The hybrid is fitted and tuned on the train part only: Naive Bayes features are \
        out-of-fold (5 folds), and the combiner's class weighting and per-class decision \
        offsets are chosen by 3-fold cross-validated macro-F1 on the train part. `--split test` \
        evaluates the held-out 20 % that no training or choice has seen.
        """

    @Option(help: "Labelled data file.")
    var data: String

    // ArgumentParser appends the values and the default (`EngineKind.default`).
    @Option(help: "Sentiment engine.")
    var engine = EngineKind.default

    @Option(help: "Model file for bayes/hybrid (default: lexicons/\(EngineFactory.defaultModelName)).")
    var model: String?

    @Option(help: "Part of --data: all, or the train/test part of the seeded 80/20 split.")
    var split: SplitChoice = .all

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    func run() throws {
        let scorer = try EngineFactory.make(engine, modelPath: model)
        let items = split.apply(try CorpusLoader.load(data))
        guard !items.isEmpty else { throw CommandFailure("\(data): no usable lines") }
        let progress = ProgressBar.onTerminal(title: "evaluating")
        var predicted: [SentimentLabel] = []
        predicted.reserveCapacity(items.count)
        let batch = 1024
        let clock = ContinuousClock()
        var elapsed = Duration.zero
        for start in stride(from: 0, to: items.count, by: batch) {
            let texts = items[start..<min(start + batch, items.count)].map(\.text)
            var results: [SentimentResult] = []
            elapsed += clock.measure { results = scorer.score(texts) }
            predicted += results.map(\.label)
            progress?.draw(fraction: Double(predicted.count) / Double(items.count),
                           detail: "\(predicted.count)/\(items.count)")
        }
        progress?.finish()
        let seconds = elapsed.inSeconds
        let report = EvaluationReport(
            engine: scorer.name, matrix: ConfusionMatrix(gold: items.map(\.label), predicted: predicted),
            textsPerSecond: seconds > 0 ? Double(items.count) / seconds : 0)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text)
            if engine == .hybrid { print(Self.protocolNote) }
        }
    }
}
