import PipelineModel

/// Counts of (gold, predicted) pairs over the three classes, in `SentimentLabel` order.
public struct ConfusionMatrix: Sendable, Hashable, Codable {
    /// `counts[gold][predicted]`.
    public private(set) var counts: [[Int]]

    /// An empty matrix.
    public init() {
        counts = Array(repeating: Array(repeating: 0, count: SentimentLabel.classes.count),
                       count: SentimentLabel.classes.count)
    }

    /// The matrix of paired gold and predicted labels; the arrays must be equally long.
    public init(gold: [SentimentLabel], predicted: [SentimentLabel]) {
        precondition(gold.count == predicted.count, "gold and predicted labels differ in count")
        self.init()
        for (g, p) in zip(gold, predicted) { record(gold: g, predicted: p) }
    }

    /// Counts one prediction.
    public mutating func record(gold: SentimentLabel, predicted: SentimentLabel) {
        counts[gold.index][predicted.index] += 1
    }

    /// Number of items counted.
    public var total: Int { counts.joined().reduce(0, +) }

    /// Items predicted correctly.
    public var correct: Int { SentimentLabel.classes.reduce(0) { $0 + counts[$1.index][$1.index] } }

    /// Correct / total (0 for an empty matrix).
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Of the items predicted as `label`, the share that are `label` (0 when none predicted).
    public func precision(_ label: SentimentLabel) -> Double {
        let predicted = counts.reduce(0) { $0 + $1[label.index] }
        return predicted == 0 ? 0 : Double(counts[label.index][label.index]) / Double(predicted)
    }

    /// Of the items that are `label`, the share predicted as `label` (0 when none exist).
    public func recall(_ label: SentimentLabel) -> Double {
        let gold = counts[label.index].reduce(0, +)
        return gold == 0 ? 0 : Double(counts[label.index][label.index]) / Double(gold)
    }

    /// Harmonic mean of precision and recall (0 when both are 0), as scikit-learn defines it.
    public func f1(_ label: SentimentLabel) -> Double {
        let p = precision(label), r = recall(label)
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    /// Unweighted mean of the per-class F1 scores.
    public var macroF1: Double {
        SentimentLabel.classes.map(f1).reduce(0, +) / Double(SentimentLabel.classes.count)
    }

    /// Unweighted mean of the per-class recalls (balanced accuracy).
    public var macroRecall: Double {
        SentimentLabel.classes.map(recall).reduce(0, +) / Double(SentimentLabel.classes.count)
    }
}
