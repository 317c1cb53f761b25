import PipelineModel
import ArgumentParser
import Wiring
import Foundation
import Sentiment

/// `sentiment eval`: accuracy, macro-F1, macro-recall, calibration error, confusion matrix and throughput.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate an engine on labelled data (JSONL or ground-truth TSV).",
        discussion: EvalCommand.protocolNote
    )

    /// How the hybrid's settings were chosen, so a test-part figure is read correctly.
    static let protocolNote = """
        The default hybrid is fitted on the train parts of corpora/ only: base-learner features \
        are out-of-fold (5 folds); the combiner's class and corpus weighting, lexicon vote, per-class \
        decision offsets (keeping macro-F1 at or above the lexicon's on every dev corpus) and \
        calibration temperature are chosen on the dev parts. The corpora's test parts are never \
        used for fitting or choosing (a model trained with --hybrid on other data carves its dev \
        part from its training part).
        """

    @Option(help: "Labelled data file (repeatable: the files are evaluated together).")
    var data: [String]

    // ArgumentParser appends the values and the default (`EngineKind.default`).
    @Option(help: "Sentiment engine.")
    var engine = EngineKind.default

    @Option(help: "Model file for bayes/logreg/hybrid (default: lexicons/\(EngineFactory.defaultModelName)).")
    var model: String?

    @Option(help: "Part of --data: all, or the train/test part of the seeded 80/20 split.")
    var split: SplitChoice = .all

    @Option(name: .customLong("score-languages"), help: ArgumentHelp(
        "Languages to score, as X's lang tags (e.g. en,und); items whose JSONL `lang` is another are counted unscored, outside the metrics.",
        discussion: "Default: the engine's languages and und, like the consumer. Items without a lang are scored."))
    var scoreLanguages: String?

    @Flag(help: "Also report each corpus (JSONL `source`) on its own.")
    var bySource = false

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    func validate() throws {
        guard !data.isEmpty else { throw ValidationError("--data FILE is required") }
        try LanguageOption.validate(scoreLanguages)
    }

    func run() throws {
        let scorer = try EngineFactory.make(engine, modelPath: model)
        let gate = LanguageOption.gate(scoreLanguages, for: scorer)
        let items = try data.flatMap { split.apply(try CorpusLoader.load($0)) }
        guard !items.isEmpty else { throw CommandFailure("\(data.joined(separator: ", ")): no usable lines") }
        let progress = ProgressBar.onTerminal(title: "evaluating")
        var results: [SentimentResult] = []
        results.reserveCapacity(items.count)
        let batch = 1024
        let clock = ContinuousClock()
        var elapsed = Duration.zero
        for start in stride(from: 0, to: items.count, by: batch) {
            let part = items[start..<min(start + batch, items.count)]
            let texts = part.map(\.text), languages = part.map(\.lang)
            var scored: [SentimentResult] = []
            elapsed += clock.measure { scored = gate.score(texts, languages: languages, with: scorer) }
            results += scored
            progress?.draw(fraction: Double(results.count) / Double(items.count),
                           detail: "\(results.count)/\(items.count)")
        }
        progress?.finish()
        let seconds = elapsed.inSeconds
        let rate = seconds > 0 ? Double(items.count) / seconds : 0
        func report(_ all: [Int]) -> EvaluationReport {
            let positions = all.filter { results[$0].label != .unscored }
            let gold = positions.map { items[$0].label }
            var report = EvaluationReport(
                engine: scorer.name, matrix: ConfusionMatrix(gold: gold, predicted: positions.map { results[$0].label }),
                textsPerSecond: rate)
            let probabilities = positions.compactMap { results[$0].probabilities }
            if probabilities.count == positions.count {
                report.expectedCalibrationError = Calibration.expectedError(probabilities: probabilities, gold: gold)
            }
            report.unscored = all.count - positions.count
            return report
        }
        var overall = report(Array(items.indices))
        if bySource {
            let sources = Dictionary(grouping: items.indices) { items[$0].source ?? "(none)" }
            overall.bySource = sources.mapValues(report)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(overall), as: UTF8.self))
        } else {
            print(overall.text)
            for (source, part) in (overall.bySource ?? [:]).sorted(by: { $0.key < $1.key }) {
                print("\n[\(source)]\n" + part.text)
            }
            if engine == .hybrid { print(Self.protocolNote) }
        }
    }
}
