import PipelineModel
import Foundation

/// What `sentiment eval` prints: the headline metrics, the confusion matrix and throughput.
public struct EvaluationReport: Sendable, Codable, Hashable {
    /// Engine name (`lexicon`, `bayes`, `hybrid`).
    public var engine: String
    /// Number of items scored.
    public var items: Int
    /// Share predicted correctly.
    public var accuracy: Double
    /// Mean per-class F1.
    public var macroF1: Double
    /// Mean per-class recall.
    public var macroRecall: Double
    /// `confusion[gold][predicted]` in negative, neutral, positive order.
    public var confusion: [[Int]]
    /// Items scored per second of wall time (scoring only).
    public var textsPerSecond: Double
    /// Expected calibration error of the class probabilities (probabilistic engines only).
    public var expectedCalibrationError: Double?
    /// Items the language gate left unscored (a `lang` outside `--score-languages`): counted
    /// here, left out of every metric above.
    public var unscored: Int = 0
    /// The same report per corpus (`source`), when asked for.
    public var bySource: [String: EvaluationReport]?

    /// A report from a confusion matrix and a measured throughput.
    public init(engine: String, matrix: ConfusionMatrix, textsPerSecond: Double) {
        self.engine = engine
        self.items = matrix.total
        self.accuracy = matrix.accuracy
        self.macroF1 = matrix.macroF1
        self.macroRecall = matrix.macroRecall
        self.confusion = matrix.counts
        self.textsPerSecond = textsPerSecond
    }

    /// A human-readable table.
    public var text: String {
        func fixed(_ value: Double) -> String { String(format: "%.4f", value) }
        func pad(_ text: String, _ width: Int) -> String {
            String(repeating: " ", count: Swift.max(0, width - text.count)) + text
        }
        var lines = [
            "engine        \(engine)",
            "items         \(items)" + (unscored > 0 ? " scored, \(unscored) unscored (language)" : ""),
            "accuracy      \(fixed(accuracy))",
            "macro-F1      \(fixed(macroF1))",
            "macro-recall  \(fixed(macroRecall))",
            "texts/s       \(Int(textsPerSecond.rounded()))",
            "ECE           " + (expectedCalibrationError.map(fixed) ?? "– (no probabilities)"),
            "confusion (rows gold, columns predicted)",
            "              " + SentimentLabel.classes.map { pad($0.rawValue, 9) }.joined(separator: " "),
        ]
        for label in SentimentLabel.classes {
            lines.append(pad(label.rawValue, 12) + "  "
                + confusion[label.index].map { pad("\($0)", 9) }.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }
}
