import PipelineModel
import NDArray

/// Multinomial logistic regression (softmax over the three classes) with L2 weight decay
/// and per-class sample weights, fitted by full-batch gradient descent from zero
/// weights — deterministic, and plenty for a handful of dense features.
public struct SoftmaxRegression: Sendable, Equatable {
    /// (features + 1) × classes; the last row is the bias.
    public let weights: NDArray<Double>

    /// A regression with known weights.
    public init(weights: NDArray<Double>) throws {
        guard weights.rank == 2, weights.shape[1] == SentimentLabel.classes.count, weights.shape[0] >= 1 else {
            throw BayesError.countsShape(weights.shape)
        }
        self.weights = weights.contiguous()
    }

    /// Number of input features.
    public var featureCount: Int { weights.shape[0] - 1 }

    /// Fits to `features` (rows × features, ideally standardised) and `labels`; a row weighs
    /// its class's weight times its `rowWeights` entry (1 when not given).
    public static func fit(features: NDArray<Double>, labels: [SentimentLabel], classWeights: [Double],
                           rowWeights: [Double]? = nil,
                           l2: Double = 1e-3, iterations: Int = 300, learningRate: Double = 1) throws
        -> SoftmaxRegression {
        guard features.rank == 2 else { throw BayesError.countsShape(features.shape) }
        let n = features.shape[0], classes = SentimentLabel.classes.count
        guard n == labels.count, n > 0 else { throw BayesError.labelCount(n, labels.count) }
        let design = try withBias(features)
        var target = [Double](repeating: 0, count: n * classes)
        var sampleWeights = [Double](repeating: 0, count: n)
        for (row, label) in labels.enumerated() {
            target[row * classes + label.index] = 1
            sampleWeights[row] = classWeights[label.index] * (rowWeights?[row] ?? 1)
        }
        precondition(classes == 3, "the fused loop below is written for three classes")
        let totalWeight = sampleWeights.reduce(0, +)
        let w = sampleWeights.map { $0 / totalWeight }
        let width = design.shape[1]
        // Weight decay spares the bias row.
        var decay = [Double](repeating: l2, count: width * classes)
        for c in 0..<classes { decay[(width - 1) * classes + c] = 0 }
        var theta = [Double](repeating: 0, count: width * classes)
        var gradient = theta
        let x = design.scalars
        // One pass over the rows per step: logits, softmax and the gradient's share of a row
        // together, with no intermediate arrays. The sums run in the same order as the matrix
        // products they replace (rows in order, features in order), so the iterates are the
        // same to the last bit.
        x.withUnsafeBufferPointer { x in
            target.withUnsafeBufferPointer { y in
                for _ in 0..<iterations {
                    for i in gradient.indices { gradient[i] = 0 }
                    theta.withUnsafeBufferPointer { t in
                        gradient.withUnsafeMutableBufferPointer { g in
                            for row in 0..<n {
                                let base = row * width
                                var z0 = 0.0, z1 = 0.0, z2 = 0.0
                                for p in 0..<width {
                                    let a = x[base + p]
                                    z0 += a * t[p * 3]
                                    z1 += a * t[p * 3 + 1]
                                    z2 += a * t[p * 3 + 2]
                                }
                                let top = Swift.max(Swift.max(z0, z1), z2)
                                var sum = 0.0
                                sum += Double.exponential(z0 - top)
                                sum += Double.exponential(z1 - top)
                                sum += Double.exponential(z2 - top)
                                let lse = top + Double.logarithm(sum)
                                let weight = w[row]
                                let r0 = (Double.exponential(z0 - lse) - y[row * 3]) * weight
                                let r1 = (Double.exponential(z1 - lse) - y[row * 3 + 1]) * weight
                                let r2 = (Double.exponential(z2 - lse) - y[row * 3 + 2]) * weight
                                for p in 0..<width {
                                    let a = x[base + p]
                                    g[p * 3] += a * r0
                                    g[p * 3 + 1] += a * r1
                                    g[p * 3 + 2] += a * r2
                                }
                            }
                        }
                    }
                    for i in theta.indices { theta[i] = theta[i] - (gradient[i] + decay[i] * theta[i]) * learningRate }
                }
            }
        }
        return try SoftmaxRegression(weights: NDArray(shape: [width, classes], scalars: theta))
    }

    /// Class probabilities for each row of `features`, (rows × classes).
    public func probabilities(_ features: NDArray<Double>) throws -> NDArray<Double> {
        guard features.rank == 2, features.shape[1] == featureCount else {
            throw BayesError.countsShape(features.shape)
        }
        return try Self.softmax(Self.withBias(features).matmul(weights))
    }

    /// The same regression with `offsets` (one per class) added to the class logits: a
    /// decision-threshold shift, stored in the bias row so the model format is unchanged.
    public func shiftingLogits(by offsets: [Double]) -> SoftmaxRegression {
        precondition(offsets.count == weights.shape[1], "one offset per class")
        var scalars = weights.scalars
        let biasRow = (weights.shape[0] - 1) * weights.shape[1]
        for (c, offset) in offsets.enumerated() { scalars[biasRow + c] += offset }
        return try! SoftmaxRegression(weights: NDArray(shape: weights.shape, scalars: scalars))
    }

    /// The same regression with every logit divided by `temperature` (> 0): temperature
    /// scaling, which calibrates probabilities without changing any decision.
    public func dividingLogits(by temperature: Double) -> SoftmaxRegression {
        precondition(temperature > 0 && temperature.isFinite, "temperature must be positive")
        return try! SoftmaxRegression(weights: weights / temperature)
    }

    static func softmax(_ logits: NDArray<Double>) throws -> NDArray<Double> {
        (logits - (try logits.logSumExp(axis: 1, keepingAxis: true))).exp()
    }

    static func withBias(_ features: NDArray<Double>) throws -> NDArray<Double> {
        let n = features.shape[0], f = features.shape[1]
        let source = features.scalars
        var scalars = [Double](repeating: 1, count: n * (f + 1))
        for row in 0..<n {
            for column in 0..<f { scalars[row * (f + 1) + column] = source[row * f + column] }
        }
        return try NDArray(shape: [n, f + 1], scalars: scalars)
    }
}
