import PipelineModel
import Testing
@testable import Sentiment

@Suite("Classification metrics")
struct MetricsTests {
    @Test("accuracy, per-class precision/recall/F1 and macro averages on a hand-worked case")
    func handWorked() {
        // gold:      n n n u u p p p p p
        // predicted: n n p u n p p p u p
        let gold: [SentimentLabel] = [.negative, .negative, .negative, .neutral, .neutral,
                                      .positive, .positive, .positive, .positive, .positive]
        let predicted: [SentimentLabel] = [.negative, .negative, .positive, .neutral, .negative,
                                           .positive, .positive, .positive, .neutral, .positive]
        let matrix = ConfusionMatrix(gold: gold, predicted: predicted)
        #expect(matrix.counts == [[2, 0, 1], [1, 1, 0], [0, 1, 4]])
        #expect(matrix.accuracy == 0.7)
        // negative: P 2/3, R 2/3; neutral: P 1/2, R 1/2; positive: P 4/5, R 4/5.
        #expect(abs(matrix.macroRecall - (2.0 / 3 + 0.5 + 0.8) / 3) < 1e-12)
        #expect(abs(matrix.macroF1 - (2.0 / 3 + 0.5 + 0.8) / 3) < 1e-12)
        #expect(abs(matrix.precision(.positive) - 0.8) < 1e-12)
    }

    @Test("a class never predicted has F1 0, and an empty matrix reports zeros")
    func degenerate() {
        let matrix = ConfusionMatrix(gold: [.neutral, .positive], predicted: [.positive, .positive])
        #expect(matrix.f1(.neutral) == 0)
        #expect(matrix.f1(.negative) == 0)
        #expect(abs(matrix.f1(.positive) - 2.0 / 3) < 1e-12)
        #expect(ConfusionMatrix().accuracy == 0)
    }

    @Test("the report carries the matrix figures")
    func report() {
        let matrix = ConfusionMatrix(gold: [.negative, .positive], predicted: [.negative, .negative])
        let report = EvaluationReport(engine: "bayes", matrix: matrix, textsPerSecond: 10)
        #expect(report.accuracy == 0.5)
        #expect(report.items == 2)
        #expect(report.text.contains("accuracy      0.5000"))
    }
}
