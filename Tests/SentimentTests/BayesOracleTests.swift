import Foundation
import PipelineTesting
import Testing
@testable import Sentiment

/// Differential test against scikit-learn's MultinomialNB (scripts/oracles/sklearn_nb.py)
/// on identical term counts: the 80/20 split of the ground-truth tweets.
@Suite("Naive Bayes vs scikit-learn")
struct BayesOracleTests {
    struct OracleAnswer: Decodable {
        var classes: [Int]
        var predict: [Int]
        var log_proba: [[Double]]
        var feature_log_prob: [[Double]]
        var class_log_prior: [Double]
    }

    static func tweets() throws -> [LabelledText] {
        let path = TestEnvironment.projectRoot.appendingPathComponent(".cache/corpora/tweets_GroundTruth.txt")
        guard let data = FileManager.default.contents(atPath: path.path) else {
            throw CorpusMissing()
        }
        return try CorpusParser.parseAll(String(decoding: data, as: UTF8.self))
    }

    struct CorpusMissing: Error, CustomStringConvertible {
        var description: String { "no .cache/corpora/tweets_GroundTruth.txt: run scripts/fetch-corpora" }
    }

    /// The feature terms of `text`, in the order Naive Bayes counts them.
    static func terms(_ text: String, _ vocabulary: Vocabulary) -> [String] {
        var result: [String] = []
        vocabulary.forEachFeature(in: text, tokenizer: WordTokenizer()) { result.append(vocabulary.terms[$0].text) }
        return result
    }

    @Test("same predictions, log-probabilities within 1e-6", arguments: [(1.0, 1), (0.3, 2)])
    func matchesScikitLearn(alpha: Double, minCount: Int) throws {
        let tweets = try Self.tweets()
        #expect(tweets.count == 4200)
        let (train, test) = CorpusSplit.tweets(tweets)
        let model = try NaiveBayesModel.train(texts: train.map(\.text), labels: train.map(\.label),
                                              tokenizer: WordTokenizer(), alpha: alpha, minCount: minCount)
        let vocabulary = model.vocabulary
        let request: [String: Any] = [
            "alpha": alpha,
            "vocabulary": vocabulary.terms.map(\.text),
            "train": train.map { Self.terms($0.text, vocabulary) },
            "labels": train.map(\.label.index),
            "test": test.map { Self.terms($0.text, vocabulary) },
        ]
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("sklearn-nb-\(UUID()).json")
        try JSONSerialization.data(withJSONObject: request).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }

        let process = Process()
        process.executableURL = TestEnvironment.python
        process.arguments = [TestEnvironment.projectRoot.appendingPathComponent("scripts/oracles/sklearn_nb.py").path,
                             input.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let answerData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let answer = try JSONDecoder().decode(OracleAnswer.self, from: answerData)
        #expect(answer.classes == [0, 1, 2])

        let classifier = model.classifier
        for feature in 0..<vocabulary.count {
            for c in 0..<3 {
                #expect(abs(classifier.featureLogProbabilities[feature, c] - answer.feature_log_prob[c][feature]) < 1e-9)
            }
        }
        for c in 0..<3 { #expect(abs(classifier.classLogPriors[c] - answer.class_log_prior[c]) < 1e-12) }

        let counts = vocabulary.counts(test.map(\.text), tokenizer: WordTokenizer())
        let predicted = try classifier.predict(counts).map(\.index)
        #expect(predicted == answer.predict)
        let logProbabilities = try classifier.predictLogProbabilities(counts)
        var worst = 0.0
        for row in 0..<test.count {
            for c in 0..<3 { worst = max(worst, abs(logProbabilities[row, c] - answer.log_proba[row][c])) }
        }
        #expect(worst < 1e-6)
    }
}
