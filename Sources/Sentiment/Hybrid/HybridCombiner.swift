import PipelineModel
import Foundation
import NDArray

/// The learned part of the hybrid engine: a softmax regression over the Naive Bayes class
/// log-probabilities, the logistic regression's (in models that have one) and the lexicon
/// engine's compound, pos, neu and neg — and, with the logistic regression, the lexicon's own
/// label as three 0/1 columns — standardised with the training set's means and spreads.
/// Decision offsets, the lexicon's vote (`addingLexiconVote`) and the calibration
/// temperature are folded into its weights.
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
        "lexicon_says_negative", "lexicon_says_neutral", "lexicon_says_positive",
    ]
    /// Column of `lexicon_says_negative`; neutral and positive follow in class order.
    static let lexiconLabelColumn = 10
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
            // The lexicon's label is a step in its compound (±0.05) that no linear weight on the
            // compound can draw; as columns, the combiner can follow it where it is reliable.
            if logistic != nil {
                for c in 0..<3 { scalars.append(result.label.index == c ? 1 : 0) }
            }
        }
        return try! NDArray(shape: [n, width], scalars: scalars)
    }

    /// The same combiner with `strength` added to the logit of the class the lexicon says:
    /// β·[lexicon says c] on class c's logit, in raw units (the weights act on standardised
    /// columns, so the scale goes into the weight and the mean into the bias). Large
    /// strengths leave the lexicon's label in place unless the learners disagree strongly.
    public func addingLexiconVote(_ strength: Double) -> HybridCombiner {
        precondition(usesLogistic, "only combiners with the lexicon's label columns take a vote")
        guard strength != 0 else { return self }
        var scalars = regression.weights.scalars
        let biasRow = means.count * 3
        for c in 0..<3 {
            let column = Self.lexiconLabelColumn + c
            scalars[column * 3 + c] += strength * scales[column]
            scalars[biasRow + c] += strength * means[column]
        }
        return replacingRegression(try! SoftmaxRegression(weights: NDArray(shape: regression.weights.shape,
                                                                           scalars: scalars)))
    }

    /// The same combiner with its regression replaced (offsets and temperature folded in).
    public func replacingRegression(_ regression: SoftmaxRegression) -> HybridCombiner {
        try! HybridCombiner(lexiconEngine: lexiconEngine, means: means, scales: scales, regression: regression)
    }

    /// Fits standardisation and regression to training features and labels. Class `c`
    /// gets weight (n / 3n_c)^`classWeightPower`: 0 is plain likelihood, 1 fully balanced
    /// (the rare neutral class counts as much as the others). `rowWeights` (one per row)
    /// multiply those, e.g. to give every corpus the same total weight.
    public static func fit(features: NDArray<Double>, labels: [SentimentLabel], lexiconEngine: String,
                           classWeightPower: Double = 1, rowWeights: [Double]? = nil,
                           l2: Double = 1e-3) throws -> HybridCombiner {
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
                                                   classWeights: classWeights, rowWeights: rowWeights, l2: l2)
        return try HybridCombiner(lexiconEngine: lexiconEngine, means: means, scales: scales, regression: regression)
    }

    /// Class probabilities (texts × classes) for raw features.
    ///
    /// One loop per row instead of a chain of array operations (this runs for every scored
    /// post), with the same arithmetic in the same order: standardise, sum feature × weight
    /// in column order then the bias, normalise like `NDArray.logSumExp` — so the result
    /// equals `regression.probabilities` of the standardised features bit for bit.
    public func probabilities(_ features: NDArray<Double>) -> NDArray<Double> {
        let width = means.count
        precondition(features.rank == 2 && features.shape[1] == width, "one column per combiner feature")
        let rows = features.shape[0]
        let x = features.scalars, w = regression.weights.scalars
        let biasRow = width * 3
        var logits = [Double](repeating: 0, count: rows * 3)
        for row in 0..<rows {
            var z0 = 0.0, z1 = 0.0, z2 = 0.0
            for f in 0..<width {
                let value = (x[row * width + f] - means[f]) / scales[f]
                z0 += value * w[f * 3]
                z1 += value * w[f * 3 + 1]
                z2 += value * w[f * 3 + 2]
            }
            logits[row * 3] = z0 + w[biasRow]
            logits[row * 3 + 1] = z1 + w[biasRow + 1]
            logits[row * 3 + 2] = z2 + w[biasRow + 2]
        }
        return NaiveBayesModel.logProbabilities(joint: logits).exp()
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
