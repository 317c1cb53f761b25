import PipelineModel
import Foundation
import NDArray

/// The learned part of the hybrid engine: a softmax regression over the Naive Bayes class
/// log-probabilities, the logistic regression's (in models that have one) and the lexicon
/// engine's compound, pos, neu and neg, standardised with the training set's means and
/// spreads. Decision offsets and the calibration temperature are folded into its weights.
public struct HybridCombiner: Sendable, Equatable {
    /// Names of the input features of the first models (Naive Bayes and lexicon), in column order.
    public static let legacyFeatureNames = [
        "bayes_log_p_negative", "bayes_log_p_neutral", "bayes_log_p_positive",
        "lexicon_compound", "lexicon_pos", "lexicon_neu", "lexicon_neg",
    ]
    /// Names of the input features with the logistic regression, in column order.
    public static let featureNames = [
        "bayes_log_p_negative", "bayes_log_p_neutral", "bayes_log_p_positive",
        "logreg_log_p_negative", "logreg_log_p_neutral", "logreg_log_p_positive",
        "lexicon_compound", "lexicon_pos", "lexicon_neu", "lexicon_neg",
    ]
    /// Log-probabilities below this are clipped: beyond it NB is merely overconfident.
    static let logProbabilityFloor = -30.0

    /// `name` and `version` of the lexicon engine the combiner was fitted with.
    public let lexiconEngine: String
    /// Training means of the features.
    public let means: [Double]
    /// Training standard deviations of the features (1 where a feature was constant).
    public let scales: [Double]
    /// The fitted regression over standardised features.
    public let regression: SoftmaxRegression

    /// A combiner from its parts.
    public init(lexiconEngine: String, means: [Double], scales: [Double], regression: SoftmaxRegression) throws {
        let count = means.count
        guard count == Self.featureNames.count || count == Self.legacyFeatureNames.count,
              scales.count == count, regression.featureCount == count else {
            throw BayesError.countsShape([means.count, scales.count, regression.featureCount])
        }
        self.lexiconEngine = lexiconEngine
        self.means = means
        self.scales = scales
        self.regression = regression
    }

    /// Whether the combiner takes the logistic regression's log-probabilities.
    public var usesLogistic: Bool { means.count == Self.featureNames.count }

    /// The raw feature matrix (texts × features) from NB (and logistic) log-probabilities
    /// and lexicon results.
    public static func features(bayesLogProbabilities: NDArray<Double>, logisticLogProbabilities: NDArray<Double>? = nil,
                                lexicon: [SentimentResult]) -> NDArray<Double> {
        let n = lexicon.count
        precondition(bayesLogProbabilities.shape == [n, 3], "one row of log-probabilities per lexicon result")
        let logP = bayesLogProbabilities.scalars
        let logistic = logisticLogProbabilities?.scalars
        let width = logistic == nil ? legacyFeatureNames.count : featureNames.count
        var scalars = [Double]()
        scalars.reserveCapacity(n * width)
        for row in 0..<n {
            for c in 0..<3 { scalars.append(Swift.max(logP[row * 3 + c], logProbabilityFloor)) }
            if let logistic {
                for c in 0..<3 { scalars.append(Swift.max(logistic[row * 3 + c], logProbabilityFloor)) }
            }
            let result = lexicon[row]
            scalars.append(result.compound)
            scalars.append(result.positive)
            scalars.append(result.neutral)
            scalars.append(result.negative)
        }
        return try! NDArray(shape: [n, width], scalars: scalars)
    }

    /// The same combiner with its regression replaced (offsets and temperature folded in).
    public func replacingRegression(_ regression: SoftmaxRegression) -> HybridCombiner {
        try! HybridCombiner(lexiconEngine: lexiconEngine, means: means, scales: scales, regression: regression)
    }

    /// Fits standardisation and regression to training features and labels. Class `c`
    /// gets weight (n / 3n_c)^`classWeightPower`: 0 is plain likelihood, 1 fully balanced
    /// (the rare neutral class counts as much as the others).
    public static func fit(features: NDArray<Double>, labels: [SentimentLabel], lexiconEngine: String,
                           classWeightPower: Double = 1, l2: Double = 1e-3) throws -> HybridCombiner {
        let means = try (features.sum(axis: 0) / Double(features.shape[0])).scalars
        let centred = features - NDArray(means)
        let variances = try ((centred * centred).sum(axis: 0) / Double(features.shape[0])).scalars
        let scales = variances.map { $0 > 1e-12 ? $0.squareRoot() : 1 }
        let standardised = centred / NDArray(scales)
        var classCounts = [Double](repeating: 0, count: 3)
        for label in labels { classCounts[label.index] += 1 }
        let classWeights = classCounts.map {
            $0 > 0 ? Foundation.pow(Double(labels.count) / (3 * $0), classWeightPower) : 0
        }
        let regression = try SoftmaxRegression.fit(features: standardised, labels: labels,
                                                   classWeights: classWeights, l2: l2)
        return try HybridCombiner(lexiconEngine: lexiconEngine, means: means, scales: scales, regression: regression)
    }

    /// Class probabilities (texts × classes) for raw features.
    public func probabilities(_ features: NDArray<Double>) -> NDArray<Double> {
        let standardised = (features - NDArray(means)) / NDArray(scales)
        // Feature count is fixed by construction.
        return try! regression.probabilities(standardised)
    }

    func write(to writer: inout ByteWriter) {
        writer.string(lexiconEngine)
        writer.varint(UInt64(means.count))
        for value in means { writer.double(value) }
        for value in scales { writer.double(value) }
        for value in regression.weights.scalars { writer.double(value) }
    }

    init(reading reader: inout ByteReader) throws {
        let engine = try reader.string()
        let count = try reader.count(of: "hybrid feature count", atMost: Self.featureNames.count, bytesPerItem: 8)
        guard count == Self.featureNames.count || count == Self.legacyFeatureNames.count else {
            throw ModelFormatError.invalid("hybrid feature count \(count)")
        }
        let means = try (0..<count).map { _ in try reader.double() }
        let scales = try (0..<count).map { _ in try reader.double() }
        let weights = try (0..<((count + 1) * 3)).map { _ in try reader.double() }
        do {
            try self.init(lexiconEngine: engine, means: means, scales: scales,
                          regression: SoftmaxRegression(weights: NDArray(shape: [count + 1, 3], scalars: weights)))
        } catch {
            throw ModelFormatError.invalid("hybrid section: \(error)")
        }
    }
}
