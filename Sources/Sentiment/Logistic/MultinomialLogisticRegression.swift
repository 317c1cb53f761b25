import PipelineModel
import NDArray

/// Multinomial (softmax) logistic regression over sparse rows, three classes in
/// `SentimentLabel` order, fitted by L-BFGS from zero weights.
///
/// Objective (the same minimiser as scikit-learn's `LogisticRegression(C = 1 / (l2 · n))`
/// with the lbfgs solver and an unpenalised intercept; L-BFGS here is diagonally
/// preconditioned, see `SoftmaxLoss.diagonalPreconditioner`):
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
        try fitted(rows: rows, labels: labels, l2: l2, classWeights: classWeights, tolerance: tolerance).regression
    }

    /// Like `fit`, with how the minimiser ended (iterations and objective evaluations, for benches).
    public static func fitted(rows: SparseRowMatrix<Double>, labels: [SentimentLabel], l2: Double,
                              classWeights: [Double] = [1, 1, 1], tolerance: Double = 1e-8) throws
        -> (regression: MultinomialLogisticRegression, outcome: LBFGSMinimizer.Outcome) {
        let n = rows.rowCount, features = rows.columnCount, k = classCount
        guard n == labels.count else { throw BayesError.labelCount(n, labels.count) }
        guard n > 0 else { throw BayesError.noDocuments }
        let loss = SoftmaxLoss(rows: rows, targets: labels.map { Int32($0.index) },
                               sampleWeights: labels.map { classWeights[$0.index] }, l2: l2)
        var minimizer = LBFGSMinimizer()
        minimizer.gradientTolerance = tolerance
        // Without it, rare features (tiny curvature under the weak default L2) take ~4× the iterations.
        minimizer.preconditioner = loss.diagonalPreconditioner()
        let outcome = minimizer.minimize(start: [Double](repeating: 0, count: loss.parameterCount)) { theta, gradient in
            loss.evaluate(theta, gradient: &gradient)
        }
        let theta = outcome.parameters, biasOffset = features * k
        let regression = try MultinomialLogisticRegression(
            weights: NDArray(shape: [features, k], scalars: Array(theta[..<biasOffset])),
            bias: Array(theta[biasOffset...]))
        return (regression, outcome)
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
