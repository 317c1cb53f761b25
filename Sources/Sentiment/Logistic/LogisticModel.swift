import PipelineModel
import NDArray

/// A trained logistic-regression text classifier: TF-IDF weighting and a multinomial
/// regression over the columns of the Naive Bayes model's vocabulary (the two models
/// share their terms, so one token pass can score both; see `HybridEngine`).
public struct LogisticModel: Sendable, Equatable {
    /// idf of each vocabulary term.
    public let weighting: TfidfWeighting
    /// The fitted regression.
    public let regression: MultinomialLogisticRegression
    /// The L2 strength it was fitted with (kept for the record).
    public let l2: Double

    /// A model from its parts; weighting and regression must have one row per term.
    public init(weighting: TfidfWeighting, regression: MultinomialLogisticRegression, l2: Double) throws {
        guard weighting.idf.count == regression.featureCount else {
            throw BayesError.countsShape([weighting.idf.count, regression.featureCount])
        }
        self.weighting = weighting
        self.regression = regression
        self.l2 = l2
    }

    /// Fits idf and the regression to `texts` over `vocabulary`.
    public static func train(texts: [String], labels: [SentimentLabel], vocabulary: Vocabulary,
                             tokenizer: some TextTokenizer, l2: Double = defaultL2,
                             classWeights: [Double] = [1, 1, 1]) throws -> LogisticModel {
        let (weighting, rows) = TfidfWeighting.fitted(texts, vocabulary: vocabulary, tokenizer: tokenizer)
        let regression = try MultinomialLogisticRegression.fit(rows: rows, labels: labels, l2: l2,
                                                               classWeights: classWeights, tolerance: fitTolerance)
        return try LogisticModel(weighting: weighting, regression: regression, l2: l2)
    }

    /// Largest gradient component at which training stops (the mean log-loss's gradient).
    public static let fitTolerance = 1e-6

    /// The L2 strength `sentiment train` uses unless told otherwise, chosen on the dev parts
    /// of `corpora/` (trained on the train parts, min count 3): of 3e-6, 1e-5, 3e-5, 1e-4,
    /// 3e-4 and 1e-3, 1e-5 had the best dev macro-F1 averaged over the sources (0.559; 1e-4,
    /// the earlier guess: 0.516). Weaker penalties fit more slowly (≈ 2.5× 1e-4's time).
    public static let defaultL2 = 1e-5

    /// Per-feature weights for the streaming scorer: idf·W (three classes) and idf².
    func streamingWeights() -> [LogitWeights] {
        let w = regression.weights.scalars
        return weighting.idf.enumerated().map { feature, idf in
            LogitWeights(a0: idf * w[feature * 3], a1: idf * w[feature * 3 + 1], a2: idf * w[feature * 3 + 2],
                         squares: idf * idf)
        }
    }

    func write(to writer: inout ByteWriter) {
        writer.double(l2)
        writer.varint(UInt64(weighting.idf.count))
        for value in weighting.idf { writer.double(value) }
        for value in regression.weights.scalars { writer.double(value) }
        for value in regression.bias { writer.double(value) }
    }

    init(reading reader: inout ByteReader) throws {
        let l2 = try reader.double()
        let count = try reader.count(of: "logistic feature count", atMost: ByteReader.maximumSectionLength / 32,
                                     bytesPerItem: 32)
        let idf = try (0..<count).map { _ in try reader.double() }
        let weights = try (0..<(count * 3)).map { _ in try reader.double() }
        let bias = try (0..<3).map { _ in try reader.double() }
        guard (idf + weights + bias + [l2]).allSatisfy(\.isFinite) else {
            throw ModelFormatError.invalid("logistic section: a weight is not finite")
        }
        do {
            try self.init(weighting: TfidfWeighting(idf: idf),
                          regression: MultinomialLogisticRegression(
                            weights: NDArray(shape: [count, 3], scalars: weights), bias: bias), l2: l2)
        } catch {
            throw ModelFormatError.invalid("logistic section: \(error)")
        }
    }
}

/// A feature's contribution to a streamed logistic score: idf·W per class, and idf²
/// for the row norm.
struct LogitWeights: FeatureWeights {
    var a0: Double, a1: Double, a2: Double, squares: Double
    static var zero: LogitWeights { LogitWeights(a0: 0, a1: 0, a2: 0, squares: 0) }
    @inline(__always) mutating func add(_ other: LogitWeights) {
        a0 += other.a0
        a1 += other.a1
        a2 += other.a2
        squares += other.squares
    }
    /// TF-IDF rows count every occurrence, whatever the Naive Bayes beside them does.
    var repeated: LogitWeights { self }

    /// The class logits of the text these are the sums of, given the intercepts.
    @inline(__always) func logits(bias: [Double]) -> (Double, Double, Double) {
        let scale = squares > 0 ? 1 / squares.squareRoot() : 0
        return (a0 * scale + bias[0], a1 * scale + bias[1], a2 * scale + bias[2])
    }
}
