import Foundation
import NDArray
import PipelineModel
import PipelineTesting
import Testing
@testable import Sentiment

/// Differential test against scikit-learn's LogisticRegression (scripts/oracles/sklearn_logreg.py)
/// on identical sparse TF-IDF rows: the train and test parts of the committed VADER tweets.
@Suite("Logistic regression vs scikit-learn", .timeLimit(.minutes(5)))
struct LogisticOracleTests {
    static func corpus(_ part: String) throws -> [LabelledText] {
        let path = TestEnvironment.projectRoot.appendingPathComponent("corpora/vader-tweets.\(part).jsonl")
        let data = try #require(FileManager.default.contents(atPath: path.path), "\(path.path) missing")
        return try CorpusParser.parseAll(String(decoding: data, as: UTF8.self))
    }

    static func rows(_ matrix: SparseRowMatrix<Double>) -> [[[Double]]] {
        (0..<matrix.rowCount).map { row in
            (matrix.rowStarts[row]..<matrix.rowStarts[row + 1]).map { [Double(matrix.columns[$0]), matrix.values[$0]] }
        }
    }

    /// The shipped L2 at the tolerance training uses, and stronger penalties at a tight one.
    @Test("same features, probabilities within 1e-3",
          arguments: [(LogisticModel.defaultL2, LogisticModel.fitTolerance), (1e-4, 1e-8), (1e-3, 1e-8)])
    func matchesScikitLearn(l2: Double, tolerance: Double) throws {
        let train = try Self.corpus("train"), test = try Self.corpus("test")
        let tokenizer = WordTokenizer()
        let bayes = try NaiveBayesModel.train(texts: train.map(\.text), labels: train.map(\.label),
                                              tokenizer: tokenizer, minCount: 2)
        let vocabulary = bayes.vocabulary
        let weighting = TfidfWeighting(fitting: train.map(\.text), vocabulary: vocabulary, tokenizer: tokenizer)
        let trainRows = weighting.rows(train.map(\.text), vocabulary: vocabulary, tokenizer: tokenizer)
        let testRows = weighting.rows(test.map(\.text), vocabulary: vocabulary, tokenizer: tokenizer)
        let regression = try MultinomialLogisticRegression.fit(rows: trainRows, labels: train.map(\.label), l2: l2,
                                                               tolerance: tolerance)
        let ours = try regression.logProbabilities(testRows).exp()

        let request: [String: Any] = [
            "columns": vocabulary.count,
            "C": 1 / (l2 * Double(train.count)),
            "train": Self.rows(trainRows), "labels": train.map(\.label.index), "test": Self.rows(testRows),
        ]
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("sklearn-lr-\(UUID()).json")
        try JSONSerialization.data(withJSONObject: request).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = TestEnvironment.python
        process.arguments = [TestEnvironment.projectRoot.appendingPathComponent("scripts/oracles/sklearn_logreg.py").path,
                             input.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let answer = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        struct Answer: Decodable { var classes: [Int]; var proba: [[Double]] }
        let reference = try JSONDecoder().decode(Answer.self, from: answer)
        #expect(reference.classes == [0, 1, 2])
        #expect(reference.proba.count == test.count)
        var worst = 0.0
        for row in 0..<test.count {
            for c in 0..<3 { worst = max(worst, abs(ours[row, c] - reference.proba[row][c])) }
        }
        #expect(worst < 1e-3, "largest probability difference \(worst)")
    }

    @Test("the streaming engine scores exactly like the sparse rows")
    func engineMatchesRows() throws {
        let train = try Self.corpus("train"), test = try Self.corpus("test")
        let tokenizer = WordTokenizer()
        let bayes = try NaiveBayesModel.train(texts: train.map(\.text), labels: train.map(\.label),
                                              tokenizer: tokenizer, minCount: 2)
        let model = try LogisticModel.train(texts: train.map(\.text), labels: train.map(\.label),
                                            vocabulary: bayes.vocabulary, tokenizer: tokenizer)
        let engine = try LogisticEngine(model: model, vocabulary: bayes.vocabulary, tokenizer: tokenizer)
        let rows = model.weighting.rows(test.map(\.text), vocabulary: bayes.vocabulary, tokenizer: tokenizer)
        let expected = try model.regression.logProbabilities(rows)
        let streamed = engine.logProbabilities(test.map(\.text))
        for row in 0..<test.count {
            for c in 0..<3 { #expect(abs(expected[row, c] - streamed[row, c]) < 1e-9) }
        }
        let file = ModelFile(bayes: bayes, logistic: model)
        #expect(try ModelFile(bytes: file.serialized()) == file)
        let matrix = ConfusionMatrix(gold: test.map(\.label), predicted: engine.score(test.map(\.text)).map(\.label))
        #expect(matrix.macroF1 > 0.5)
    }
}
