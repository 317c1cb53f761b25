import PipelineModel
import ArgumentParser
import Foundation
import Sentiment

/// `bench bayes`: Naive Bayes batch prediction and training against scikit-learn
/// (CountVectorizer with 1–2-grams + MultinomialNB) on the same texts, in one run.
struct BayesBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bayes",
        abstract: "Naive Bayes predict and train throughput vs scikit-learn, same texts, same run."
    )

    @Option(help: "Folder with the ground-truth corpora (scripts/fetch-corpora).")
    var corpora = ".cache/corpora"

    @Option(help: "Python with scikit-learn (the test venv).")
    var python = ".venv/bin/python"

    @Option(help: "How many times the 4,200 tweets are predicted per timing.")
    var predictCopies = 10

    @Option(help: "Number of texts for the training comparison.")
    var trainTexts = 30_000

    @Option(help: "Timings per measurement (the best is kept).")
    var repeats = 3

    func run() throws {
        func load(_ name: String) throws -> [LabelledText] {
            guard let data = FileManager.default.contents(atPath: corpora + "/" + name) else {
                throw ValidationError("cannot read \(corpora)/\(name): run scripts/fetch-corpora")
            }
            return try CorpusParser.parseAll(String(decoding: data, as: UTF8.self))
        }
        let tweets = try load("tweets_GroundTruth.txt")
        let snippets = try ["movieReviewSnippets_GroundTruth.txt", "amazonReviewSnippets_GroundTruth.txt",
                            "nytEditorialSnippets_GroundTruth.txt"].flatMap(load)
        let (train, _) = CorpusSplit.tweets(tweets)
        let predictTexts = Array(repeating: tweets.map(\.text), count: predictCopies).flatMap { $0 }
        let pool = tweets + snippets
        let big = (0..<trainTexts).map { pool[$0 % pool.count] }
        let alpha = 1.0, minCount = 1

        // Memory is compared as the growth of each side's resident set during the same work
        // (from the inputs loaded to the end), so neither side counts its runtime: the
        // Python interpreter and its imports on one side, our executable on the other.
        let swiftBaseline = ListenerMemoryBench.currentRSSKiB(pid: getpid()) ?? 0
        // Swift: the same settings (1–2-grams, min count 1, α 1) on the same texts.
        let model = try NaiveBayesModel.train(texts: train.map(\.text), labels: train.map(\.label),
                                              tokenizer: WordTokenizer(), alpha: alpha, minCount: minCount)
        // Built once, like scikit-learn's fitted vectorizer and model; one thread.
        let engine = try BayesEngine(model: model, tokenizer: WordTokenizer())
        var predicted = 0
        let swiftPredict = try best {
            predicted = engine.predict(predictTexts).count
        }
        precondition(predicted == predictTexts.count)
        let swiftTrain = try best {
            _ = try NaiveBayesModel.train(texts: big.map(\.text), labels: big.map(\.label),
                                          tokenizer: WordTokenizer(), alpha: alpha, minCount: minCount)
        }
        let swiftPeak = ListenerMemoryBench.peakRSSKiB(pid: getpid()) ?? 0

        let request: [String: Any] = [
            "train_texts": train.map(\.text), "train_labels": train.map(\.label.index),
            "predict_texts": predictTexts, "big_texts": big.map(\.text), "big_labels": big.map(\.label.index),
            "min_df": minCount, "alpha": alpha, "repeats": repeats,
        ]
        let reference = try ScikitReference(python: python, script: "scripts/oracles/sklearn_nb_bench.py").run(request)
        let pyPredict = reference["predict_seconds"] as? Double ?? .nan
        let pyTrain = reference["train_seconds"] as? Double ?? .nan
        let pyPeak = reference["peak_rss_kib"] as? Int ?? 0
        let pyBaseline = reference["baseline_rss_kib"] as? Int ?? 0

        func rate(_ count: Int, _ seconds: Double) -> String { String(format: "%.0f", Double(count) / seconds) }
        print("Naive Bayes, \(predictTexts.count) tweets predicted, \(big.count) texts trained, best of \(repeats)")
        print("predict   swift \(rate(predictTexts.count, swiftPredict)) texts/s   scikit-learn "
            + "\(rate(predictTexts.count, pyPredict)) texts/s   ratio \(String(format: "%.1f", pyPredict / swiftPredict))×")
        print("train     swift \(String(format: "%.3f", swiftTrain)) s   scikit-learn \(String(format: "%.3f", pyTrain)) s"
            + "   ratio \(String(format: "%.1f", pyTrain / swiftTrain))× faster")
        let swiftGrowth = max(0, swiftPeak - swiftBaseline), pyGrowth = max(0, pyPeak - pyBaseline)
        print("memory    swift +\(swiftGrowth / 1024) MiB   scikit-learn +\(pyGrowth / 1024) MiB   (peak resident set "
            + "over the one with the inputs loaded; process peaks \(swiftPeak / 1024) and \(pyPeak / 1024) MiB)")
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
            let seconds = elapsed.inSeconds
            fastest = min(fastest, seconds)
        }
        return fastest
    }
}
