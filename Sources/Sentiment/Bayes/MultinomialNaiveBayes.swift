import PipelineModel
import NDArray

/// Multinomial Naive Bayes over document-term counts, with Lidstone smoothing
/// (α = 1 is Laplace), in the three-class order of `SentimentLabel`.
///
/// Follows scikit-learn's `MultinomialNB` (`fit_prior=True`): feature log-probabilities
/// log((N_cf + α) / (N_c + αV)), class log-priors from document counts; predictions are
/// computed in log space and normalised with log-sum-exp.
public struct MultinomialNaiveBayes: Sendable, Equatable {
    /// The smoothing added to every feature count.
    public let alpha: Double
    /// Training documents per class.
    public let classDocumentCounts: [Double]
    /// Summed counts of each feature in each class, (features × classes).
    public let featureCounts: NDArray<Double>
    /// log P(feature | class), (features × classes): one row per feature keeps a
    /// document's lookups on consecutive memory.
    public let featureLogProbabilities: NDArray<Double>
    /// log P(class), shape [classes].
    public let classLogPriors: NDArray<Double>

    static let classCount = SentimentLabel.classes.count

    /// A model from its sufficient statistics (what `fit` accumulates and files store).
    public init(featureCounts: NDArray<Double>, classDocumentCounts: [Double], alpha: Double) throws {
        guard featureCounts.rank == 2, featureCounts.shape[1] == Self.classCount else {
            throw BayesError.countsShape(featureCounts.shape)
        }
        guard classDocumentCounts.count == Self.classCount else {
            throw BayesError.countsShape([classDocumentCounts.count])
        }
        guard alpha >= 0, alpha.isFinite else { throw BayesError.alpha(alpha) }
        self.alpha = alpha
        self.classDocumentCounts = classDocumentCounts
        self.featureCounts = featureCounts.contiguous()
        let smoothed = self.featureCounts + alpha
        let totals = try smoothed.sum(axis: 0, keepingAxis: true)
        featureLogProbabilities = smoothed.log() - totals.log()
        let documents = NDArray(classDocumentCounts)
        classLogPriors = documents.log() - Double.logarithm(documents.sum())
    }

    /// Fits the model to document-term `counts` (one row per document) and their labels.
    public static func fit(counts: SparseRowMatrix<Double>, labels: [SentimentLabel], alpha: Double) throws
        -> MultinomialNaiveBayes {
        guard counts.rowCount == labels.count else { throw BayesError.labelCount(counts.rowCount, labels.count) }
        guard !labels.isEmpty else { throw BayesError.noDocuments }
        var oneHot = [Double](repeating: 0, count: labels.count * classCount)
        var documents = [Double](repeating: 0, count: classCount)
        for (row, label) in labels.enumerated() {
            oneHot[row * classCount + label.index] = 1
            documents[label.index] += 1
        }
        // Xᵀ·Y sums each feature's counts per class.
        let featureCounts = try counts.transposedMatmul(NDArray(shape: [labels.count, classCount], scalars: oneHot))
        return try MultinomialNaiveBayes(featureCounts: featureCounts, classDocumentCounts: documents, alpha: alpha)
    }

    /// Number of features.
    public var featureCount: Int { featureCounts.shape[0] }

    /// log P(class) + Σ count·log P(feature | class), (documents × classes).
    public func jointLogLikelihood(_ counts: SparseRowMatrix<Double>) throws -> NDArray<Double> {
        try counts.matmul(featureLogProbabilities) + classLogPriors
    }

    /// log P(class | document), (documents × classes).
    public func predictLogProbabilities(_ counts: SparseRowMatrix<Double>) throws -> NDArray<Double> {
        let joint = try jointLogLikelihood(counts)
        return joint - (try joint.logSumExp(axis: 1, keepingAxis: true))
    }

    /// P(class | document), (documents × classes).
    public func predictProbabilities(_ counts: SparseRowMatrix<Double>) throws -> NDArray<Double> {
        try predictLogProbabilities(counts).exp()
    }

    /// The most probable class of each document (the first in class order on a tie).
    public func predict(_ counts: SparseRowMatrix<Double>) throws -> [SentimentLabel] {
        try jointLogLikelihood(counts).argmax(axis: 1).map { SentimentLabel(index: $0)! }
    }
}
