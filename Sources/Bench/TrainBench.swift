import PipelineModel
import ArgumentParser
import Foundation
import Sentiment

/// `bench train`: an analyst's labels, split 80/20 with a fixed seed; `sentiment train
/// --hybrid` (the same trainer, settings and model file) and scikit-learn's TF-IDF 1–2-grams +
/// LogisticRegression fitted on the same 80 %, in one run: macro-F1 of both on the held-out
/// 20 % and the training-time ratio.
struct TrainBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Hybrid training on labelled data vs scikit-learn TF-IDF + LogisticRegression: macro-F1 and train time."
    )

    @Option(help: "Labelled data, JSONL (text, label) or ground-truth TSV (repeatable: each file is its own comparison).")
    var labels: [String] = []

    @Option(help: "Fraction of each file held out for scoring (stratified).")
    var heldOut = 0.2

    @Option(help: "Seed of the split.")
    var seed: UInt64 = 0

    @Option(help: "Python with scikit-learn (the test venv).")
    var python = ".venv/bin/python"

    @Option(help: "scikit-learn's inverse regularisation C (its default: 1).")
    var sklearnC = 1.0

    @Option(help: "Minimum count of a term (ours: occurrences; scikit-learn: document frequency); `sentiment train`'s default is 1.")
    var minCount = 1

    @Flag(help: "Naive Bayes counts presence (`sentiment train --binary`).")
    var binary = false

    @Option(help: "Training runs per side (the one with the least CPU time is kept).")
    var repeats = 1

    func run() throws {
        guard !labels.isEmpty else { throw ValidationError("give at least one --labels FILE") }
        guard heldOut > 0, heldOut < 1 else { throw ValidationError("--held-out must be between 0 and 1") }
        let lexicon = try EngineCatalog.lexicon()
        print("`sentiment train --hybrid` vs scikit-learn TfidfVectorizer(1–2-grams, min_df \(minCount)) + "
            + "LogisticRegression(C \(sklearnC)); split \(Int(((1 - heldOut) * 100).rounded()))/"
            + "\(Int((heldOut * 100).rounded())) seed \(seed); train times: the least-CPU run of \(repeats), "
            + "one thread each side")
        print("  data                               n train/held   macro-F1 ours / sklearn   "
            + "macro-recall ours / sklearn   train CPU-s ours / sklearn (×)")
        for path in labels {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ValidationError("cannot read \(path)")
            }
            let items = try CorpusParser.parseAll(String(decoding: data, as: UTF8.self))
            guard items.count >= 20 else { throw ValidationError("\(path): too few labelled texts (\(items.count))") }
            let split = CorpusSplit(labels: items.map(\.label), testFraction: heldOut, seed: seed)
            let train = split.trainIndices.map { items[$0] }, test = split.testIndices.map { items[$0] }
            try compare(name: path, train: train, test: test, lexicon: lexicon)
        }
    }

    private func compare(name: String, train: [LabelledText], test: [LabelledText], lexicon: LexiconScorer) throws {
        var trainer = HybridTrainer(tokenizer: WordTokenizer(), alpha: 1, minCount: minCount)
        trainer.binary = binary
        let modelPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("bench-train-\(getpid()).model").path
        defer { try? FileManager.default.removeItem(atPath: modelPath) }
        var ours = WorkTime(wall: .infinity, cpu: .infinity)
        for _ in 0..<max(1, repeats) {
            // What `sentiment train --hybrid --data FILE` does: train, then write the model.
            let time = try WorkTime.measure {
                let file = try trainer.train(tweets: train, extra: [], lexicon: lexicon)
                guard FileManager.default.createFile(atPath: modelPath, contents: Data(file.serialized())) else {
                    throw BenchFailure("cannot write \(modelPath)")
                }
            }.time
            if time.cpu < ours.cpu { ours = time }
        }
        let engine = try EngineCatalog.make(.hybrid, modelPath: modelPath)
        let matrix = ConfusionMatrix(gold: test.map(\.label), predicted: engine.score(test.map(\.text)).map(\.label))

        let reference = try ScikitReference(python: python, script: "scripts/oracles/sklearn_train_bench.py").run([
            "train_texts": train.map(\.text), "train_labels": train.map(\.label.index),
            "test_texts": test.map(\.text), "test_labels": test.map(\.label.index),
            "C": sklearnC, "min_df": minCount, "repeats": repeats,
        ])
        func number(_ key: String) -> Double { reference[key] as? Double ?? .nan }
        let shown = name.count > 34 ? "…" + name.suffix(33) : name.padding(toLength: 34, withPad: " ", startingAt: 0)
        print("  " + shown + String(format: " %6d/%-6d   %.3f / %.3f %@          %.3f / %.3f           %.2f / %.2f (%.2f× faster%@)",
                                    train.count, test.count, matrix.macroF1, number("macro_f1"),
                                    matrix.macroF1 >= number("macro_f1") ? "✔" : "✘",
                                    matrix.macroRecall, number("macro_recall"), ours.cpu, number("train_cpu"),
                                    number("train_cpu") / ours.cpu, number("train_cpu") >= ours.cpu ? " ✔" : " ✘"))
    }
}
