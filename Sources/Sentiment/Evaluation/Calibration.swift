import PipelineModel
import Foundation

/// How well predicted probabilities match observed frequencies, and temperature scaling
/// to improve it.
public enum Calibration {
    /// Expected calibration error of the top class: items are binned by the probability of
    /// their predicted class (`bins` equal-width bins on 0…1); the error is the item-weighted
    /// mean of |accuracy − mean confidence| over the bins.
    public static func expectedError(probabilities: [[Double]], gold: [SentimentLabel], bins: Int = 15) -> Double {
        precondition(probabilities.count == gold.count, "one probability row per gold label")
        guard !gold.isEmpty else { return 0 }
        var count = [Int](repeating: 0, count: bins)
        var correct = [Int](repeating: 0, count: bins)
        var confidence = [Double](repeating: 0, count: bins)
        for (p, label) in zip(probabilities, gold) {
            let top = p.indices.max { p[$0] < p[$1] } ?? 0
            let bin = Swift.min(bins - 1, Int(p[top] * Double(bins)))
            count[bin] += 1
            confidence[bin] += p[top]
            if top == label.index { correct[bin] += 1 }
        }
        var error = 0.0
        for bin in 0..<bins where count[bin] > 0 {
            error += abs(Double(correct[bin]) - confidence[bin])
        }
        return error / Double(gold.count)
    }

    /// The temperature T in 0.05…20 minimising the mean negative log-likelihood of
    /// softmax(logits / T) on the given rows (a golden-section search over log T; the
    /// likelihood is unimodal in T).
    public static func temperature(logits: [[Double]], gold: [SentimentLabel]) -> Double {
        func loss(_ logT: Double) -> Double {
            let t = Foundation.exp(logT)
            var total = 0.0
            for (z, label) in zip(logits, gold) {
                let scaled = z.map { $0 / t }
                let top = scaled.max() ?? 0
                let normaliser = top + Foundation.log(scaled.reduce(0) { $0 + Foundation.exp($1 - top) })
                total += normaliser - scaled[label.index]
            }
            return total / Double(Swift.max(1, gold.count))
        }
        var low = Foundation.log(0.05), high = Foundation.log(20.0)
        let ratio = (5.0.squareRoot() - 1) / 2
        var a = high - ratio * (high - low), b = low + ratio * (high - low)
        var fa = loss(a), fb = loss(b)
        for _ in 0..<60 {
            if fa < fb {
                high = b; b = a; fb = fa
                a = high - ratio * (high - low); fa = loss(a)
            } else {
                low = a; a = b; fa = fb
                b = low + ratio * (high - low); fb = loss(b)
            }
        }
        return Foundation.exp((low + high) / 2)
    }
}
