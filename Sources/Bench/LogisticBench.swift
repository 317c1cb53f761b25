import PipelineModel
import ArgumentParser
import Foundation
import Sentiment

/// `bench logreg`: logistic regression on TF-IDF 1–2-grams against scikit-learn
/// (TfidfVectorizer + LogisticRegression, lbfgs) on the same texts, in one run: training
/// time, batch predict rate and macro-F1 on the corpora's test parts.
struct LogisticBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logreg",
        abstract: "Logistic regression train time and predict rate vs scikit-learn, same texts, same run."
    )

    @Option(help: "Folder with the JSONL corpora.")
    var corpora = "corpora"

    @Option(help: "Python with scikit-learn (the test venv).")
    var python = ".venv/bin/python"

    @Option(help: "How many times the test texts are predicted per timing.")
    var predictCopies = 5

    @Option(help: "Timings per measurement (the best is kept).")
    var repeats = 3

    @Option(help: "Minimum occurrences (ours) / document frequency (scikit-learn) of a term.")
    var minCount = 2

    func run() throws {
        let names = ["vader-tweets", "vader-snippets", "goemotions", "finance-tweets"]
        func load(_ part: String) throws -> [LabelledText] {
            try names.flatMap { name -> [LabelledText] in
                guard let data = FileManager.default.contents(atPath: "\(corpora)/\(name).\(part).jsonl") else {
                    throw ValidationError("cannot read \(corpora)/\(name).\(part).jsonl")
                }
                return try CorpusParser.parseAll(String(decoding: data, as: UTF8.self))
            }
        }
        let train = try load("train"), test = try load("test")
        let predictTexts = Array(repeating: test.map(\.text), count: predictCopies).flatMap { $0 }
        let l2 = LogisticModel.defaultL2
        let tokenizer = WordTokenizer()
        var engine: LogisticEngine<WordTokenizer>?
        let swiftTrain = try best {
            let vocabulary = VocabularyBuilder(tokenizer: tokenizer, minCount: minCount).build(train.map(\.text)).vocabulary
            let model = try LogisticModel.train(texts: train.map(\.text), labels: train.map(\.label),
                                                vocabulary: vocabulary, tokenizer: tokenizer, l2: l2)
            engine = try LogisticEngine(model: model, vocabulary: vocabulary, tokenizer: tokenizer)
        }
        guard let engine else { return }
        var predicted = 0
        let swiftPredict = try best { predicted = engine.score(predictTexts).count }
        precondition(predicted == predictTexts.count)
        let swiftF1 = ConfusionMatrix(gold: test.map(\.label), predicted: engine.score(test.map(\.text)).map(\.label)).macroF1

        let reference = try runReference([
            "train_texts": train.map(\.text), "train_labels": train.map(\.label.index),
            "test_texts": test.map(\.text), "test_labels": test.map(\.label.index), "predict_texts": predictTexts,
            "min_df": minCount, "C": 1 / (l2 * Double(train.count)), "repeats": repeats,
        ])
        let pyTrain = reference["train_seconds"] as? Double ?? .nan
        let pyPredict = reference["predict_seconds"] as? Double ?? .nan
        let pyF1 = reference["macro_f1"] as? Double ?? .nan
        func rate(_ seconds: Double) -> String { String(format: "%.0f", Double(predictTexts.count) / seconds) }
        print("Logistic regression, TF-IDF 1–2-grams, L2 \(l2); \(train.count) texts trained, "
            + "\(predictTexts.count) predicted, best of \(repeats)")
        print("train     swift \(String(format: "%.2f", swiftTrain)) s   scikit-learn \(String(format: "%.2f", pyTrain)) s"
            + "   ratio \(String(format: "%.1f", pyTrain / swiftTrain))× faster")
        print("predict   swift \(rate(swiftPredict)) texts/s   scikit-learn \(rate(pyPredict)) texts/s   ratio "
            + String(format: "%.1f", pyPredict / swiftPredict) + "×")
        print("macro-F1 on the test parts   swift \(String(format: "%.3f", swiftF1))   scikit-learn "
            + String(format: "%.3f", pyF1))
    }

    private func best(_ work: () throws -> Void) throws -> Double {
        var fastest = Double.infinity
        let clock = ContinuousClock()
        for _ in 0..<max(1, repeats) {
            var failure: Error?
            let elapsed = clock.measure {
                do { try work() } catch { failure = error }
            }
            if let failure { throw failure }
            fastest = min(fastest, elapsed.inSeconds)
        }
        return fastest
    }

    private func runReference(_ request: [String: Any]) throws -> [String: Any] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("bench-logreg-\(getpid()).json")
        try JSONSerialization.data(withJSONObject: request).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["scripts/oracles/sklearn_logreg_bench.py", input.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let answer = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ValidationError("the scikit-learn reference failed (is \(python) the test venv?)")
        }
        return answer
    }
}
