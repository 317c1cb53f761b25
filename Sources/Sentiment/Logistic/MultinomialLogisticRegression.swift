import PipelineModel
import NDArray

/// Multinomial (softmax) logistic regression over sparse rows, three classes in
/// `SentimentLabel` order, fitted by L-BFGS from zero weights.
///
/// Objective (the same minimiser as scikit-learn's `LogisticRegression(C = 1 / (l2 · n))`
/// with the lbfgs solver and an unpenalised intercept):
/// (1/n) Σᵢ sᵢ · −log P(yᵢ | xᵢ) + (l2 / 2) ‖W‖², sᵢ the sample weight (1 unless class-weighted).
public struct MultinomialLogisticRegression: Sendable, Equatable {
    /// Feature weights, (features × classes).
    public let weights: NDArray<Double>
    /// Per-class intercepts.
    public let bias: [Double]

    static let classCount = SentimentLabel.classes.count

    /// A regression with known parameters.
    public init(weights: NDArray<Double>, bias: [Double]) throws {
        guard weights.rank == 2, weights.shape[1] == Self.classCount, bias.count == Self.classCount else {
            throw BayesError.countsShape(weights.shape)
        }
        self.weights = weights.contiguous()
        self.bias = bias
    }

    /// Number of features.
    public var featureCount: Int { weights.shape[0] }

    /// Fits to `rows` and `labels`; `classWeights` (one per class) weight each row by its class.
    public static func fit(rows: SparseRowMatrix<Double>, labels: [SentimentLabel], l2: Double,
                           classWeights: [Double] = [1, 1, 1], tolerance: Double = 1e-8) throws
        -> MultinomialLogisticRegression {
        let n = rows.rowCount, features = rows.columnCount, k = classCount
        guard n == labels.count else { throw BayesError.labelCount(n, labels.count) }
        guard n > 0 else { throw BayesError.noDocuments }
        let targets = labels.map(\.index)
        let sampleWeights = labels.map { classWeights[$0.index] }
        let rowStarts = rows.rowStarts, columns = rows.columns, values = rows.values
        let biasOffset = features * k
        var logits = [Double](repeating: 0, count: k)
        var minimizer = LBFGSMinimizer()
        minimizer.gradientTolerance = tolerance
        let outcome = minimizer.minimize(start: [Double](repeating: 0, count: features * k + k)) { theta, gradient in
            var loss = 0.0
            for i in 0..<gradient.count { gradient[i] = 0 }
            theta.withUnsafeBufferPointer { w in
                gradient.withUnsafeMutableBufferPointer { g in
                    for row in 0..<n {
                        for c in 0..<k { logits[c] = w[biasOffset + c] }
                        for entry in rowStarts[row]..<rowStarts[row + 1] {
                            let base = Int(columns[entry]) * k, value = values[entry]
                            for c in 0..<k { logits[c] += value * w[base + c] }
                        }
                        let top = Swift.max(logits[0], logits[1], logits[2])
                        var total = 0.0
                        for c in 0..<k {
                            logits[c] = Double.exponential(logits[c] - top)
                            total += logits[c]
                        }
                        let weight = sampleWeights[row], target = targets[row]
                        loss -= weight * (Double.logarithm(logits[target] / total))
                        for c in 0..<k {
                            let residual = weight * (logits[c] / total - (c == target ? 1 : 0))
                            logits[c] = residual
                            g[biasOffset + c] += residual
                        }
                        for entry in rowStarts[row]..<rowStarts[row + 1] {
                            let base = Int(columns[entry]) * k, value = values[entry]
                            for c in 0..<k { g[base + c] += value * logits[c] }
                        }
                    }
                    let scale = 1 / Double(n)
                    var penalty = 0.0
                    for i in 0..<biasOffset {
                        g[i] = g[i] * scale + l2 * w[i]
                        penalty += w[i] * w[i]
                    }
                    for c in 0..<k { g[biasOffset + c] *= scale }
                    loss = loss * scale + 0.5 * l2 * penalty
                }
            }
            return loss
        }
        let theta = outcome.parameters
        return try MultinomialLogisticRegression(
            weights: NDArray(shape: [features, k], scalars: Array(theta[..<biasOffset])),
            bias: Array(theta[biasOffset...]))
    }

    /// Class logits of `rows`, (rows × classes).
    public func logits(_ rows: SparseRowMatrix<Double>) throws -> NDArray<Double> {
        try rows.matmul(weights) + NDArray(bias)
    }

    /// log P(class | row), (rows × classes).
    public func logProbabilities(_ rows: SparseRowMatrix<Double>) throws -> NDArray<Double> {
        let z = try logits(rows)
        return z - (try z.logSumExp(axis: 1, keepingAxis: true))
    }
}
