import PipelineModel
import ArgumentParser
import Foundation
import Sentiment

/// `bench logreg`: logistic regression on TF-IDF 1–2-grams against scikit-learn
/// (TfidfVectorizer + LogisticRegression, lbfgs) on the same texts, in one run: training
/// time (by phase), batch predict rate and macro-F1 on the corpora's test parts.
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

    @Option(help: "Timings per measurement (the one with the least CPU time is kept).")
    var repeats = 3

    @Option(help: "Minimum occurrences (ours) / document frequency (scikit-learn) of a term.")
    var minCount = 2

    @Option(help: ArgumentHelp(
        "Also fit with these gradient tolerances (repeatable) and print each one's iterations and largest "
            + "test-probability gap to a fit at 1e-10 (the differential test allows 1e-3)."))
    var checkTolerance: [Double] = []

    /// One training run of ours, by phase.
    private struct Training {
        var total: WorkTime
        var vocabulary = 0.0, tfidf = 0.0, fit = 0.0
        var iterations = 0, evaluations = 0, features = 0
        var engine: LogisticEngine<WordTokenizer>?
    }

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
        var ours: Training?
        for _ in 0..<max(1, repeats) {
            let run = try trainOnce(texts: train.map(\.text), labels: train.map(\.label), l2: l2)
            if ours == nil || run.total.cpu < ours!.total.cpu { ours = run }
        }
        guard let ours, let engine = ours.engine else { return }
        var predicted = 0
        var swiftPredict = WorkTime(wall: .infinity, cpu: .infinity)
        for _ in 0..<max(1, repeats) {
            let time = WorkTime.measure { predicted = engine.score(predictTexts).count }.time
            if time.cpu < swiftPredict.cpu { swiftPredict = time }
        }
        precondition(predicted == predictTexts.count)
        let swiftF1 = ConfusionMatrix(gold: test.map(\.label), predicted: engine.score(test.map(\.text)).map(\.label)).macroF1

        let reference = try ScikitReference(python: python, script: "scripts/oracles/sklearn_logreg_bench.py").run([
            "train_texts": train.map(\.text), "train_labels": train.map(\.label.index),
            "test_texts": test.map(\.text), "test_labels": test.map(\.label.index), "predict_texts": predictTexts,
            "min_df": minCount, "C": 1 / (l2 * Double(train.count)), "repeats": repeats,
        ])
        let pyTrain = reference["train"] as? [String: Any] ?? [:]
        let pyPhases = pyTrain["phases"] as? [String: Any] ?? [:]
        let pyPredict = reference["predict"] as? [String: Any] ?? [:]
        func seconds(_ dictionary: [String: Any], _ key: String) -> Double { dictionary[key] as? Double ?? .nan }
        let pyF1 = reference["macro_f1"] as? Double ?? .nan
        func f(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }
        func rate(_ seconds: Double) -> String { f(Double(predictTexts.count) / seconds, 0) }
        print("Logistic regression, TF-IDF 1–2-grams, L2 \(l2); \(train.count) texts trained, "
            + "\(predictTexts.count) predicted; the least-CPU run of \(repeats); one thread each side")
        print("train CPU   swift \(f(ours.total.cpu)) s   scikit-learn \(f(seconds(pyTrain, "cpu"))) s"
            + "   ratio \(f(seconds(pyTrain, "cpu") / ours.total.cpu))× faster")
        print("train wall  swift \(f(ours.total.wall)) s   scikit-learn \(f(seconds(pyTrain, "wall"))) s"
            + "   ratio \(f(seconds(pyTrain, "wall") / ours.total.wall))× faster")
        print("  swift CPU by phase: vocabulary \(f(ours.vocabulary)) s, TF-IDF rows \(f(ours.tfidf)) s, "
            + "fit \(f(ours.fit)) s (\(ours.iterations) L-BFGS iterations, \(ours.evaluations) evaluations, "
            + "\(ours.features) features)")
        print("  scikit-learn CPU by phase: TfidfVectorizer \(f(seconds(pyPhases, "vectorize_cpu"))) s, "
            + "fit \(f(seconds(pyPhases, "fit_cpu"))) s (\(pyPhases["iterations"] ?? "?") iterations, "
            + "\(pyPhases["features"] ?? "?") features)")
        print("predict     swift \(rate(swiftPredict.cpu)) texts/CPU-s   scikit-learn \(rate(seconds(pyPredict, "cpu"))) "
            + "texts/CPU-s   ratio \(f(seconds(pyPredict, "cpu") / swiftPredict.cpu, 1))×")
        print("macro-F1 on the test parts   swift \(f(swiftF1, 3))   scikit-learn \(f(pyF1, 3))")
        if !checkTolerance.isEmpty { try checkTolerances(train: train, test: test, l2: l2) }
    }

    /// Fits the same rows at each of `checkTolerance` and at 1e-10; prints the cost and how
    /// far each one's test probabilities are from the tight fit's.
    private func checkTolerances(train: [LabelledText], test: [LabelledText], l2: Double) throws {
        let tokenizer = WordTokenizer()
        let vocabulary = VocabularyBuilder(tokenizer: tokenizer, minCount: minCount).build(train.map(\.text)).vocabulary
        let (weighting, rows) = TfidfWeighting.fitted(train.map(\.text), vocabulary: vocabulary, tokenizer: tokenizer)
        let testRows = weighting.rows(test.map(\.text), vocabulary: vocabulary, tokenizer: tokenizer)
        let labels = train.map(\.label)
        let tight = try MultinomialLogisticRegression.fitted(rows: rows, labels: labels, l2: l2, tolerance: 1e-10)
        let reference = try tight.regression.logProbabilities(testRows).exp().scalars
        print("tolerance check (a fit at 1e-10: \(tight.outcome.iterations) iterations)")
        for tolerance in checkTolerance {
            let (result, time) = try WorkTime.measure {
                try MultinomialLogisticRegression.fitted(rows: rows, labels: labels, l2: l2, tolerance: tolerance)
            }
            let probabilities = try result.regression.logProbabilities(testRows).exp().scalars
            let gap = zip(probabilities, reference).map { abs($0 - $1) }.max() ?? 0
            print("  tolerance \(tolerance): fit \(String(format: "%.2f", time.cpu)) CPU-s, "
                + "\(result.outcome.iterations) iterations, \(result.outcome.evaluations) evaluations, "
                + "largest probability gap \(String(format: "%.2e", gap))")
        }
    }

    /// Trains once the way `LogisticModel.train` does, timing each phase.
    private func trainOnce(texts: [String], labels: [SentimentLabel], l2: Double) throws -> Training {
        let tokenizer = WordTokenizer()
        var training = Training(total: WorkTime(wall: 0, cpu: 0))
        training.total = try WorkTime.measure {
            let (vocabulary, vocabularyTime) = WorkTime.measure {
                VocabularyBuilder(tokenizer: tokenizer, minCount: minCount).build(texts).vocabulary
            }
            let (fitted, tfidfTime) = WorkTime.measure {
                TfidfWeighting.fitted(texts, vocabulary: vocabulary, tokenizer: tokenizer)
            }
            let (result, fitTime) = try WorkTime.measure {
                try MultinomialLogisticRegression.fitted(rows: fitted.rows, labels: labels, l2: l2,
                                                         tolerance: LogisticModel.fitTolerance)
            }
            let model = try LogisticModel(weighting: fitted.weighting, regression: result.regression, l2: l2)
            training.engine = try LogisticEngine(model: model, vocabulary: vocabulary, tokenizer: tokenizer)
            training.vocabulary = vocabularyTime.cpu
            training.tfidf = tfidfTime.cpu
            training.fit = fitTime.cpu
            training.iterations = result.outcome.iterations
            training.evaluations = result.outcome.evaluations
            training.features = vocabulary.count
        }.time
        return training
    }
}
