/// What an engine says about one text.
///
/// Every engine fills `label` and `compound` (−1…1) so that aggregates can mix engines:
/// the lexicon engine reports VADER's compound; a probabilistic engine reports
/// P(positive) − P(negative). `positive`/`neutral`/`negative` are VADER's proportions
/// for the lexicon engine and the class probabilities otherwise.
public struct SentimentResult: Sendable, Hashable, Codable {
    /// The predicted class.
    public var label: SentimentLabel
    /// Overall polarity in −1…1.
    public var compound: Double
    /// Share of positive sentiment (VADER `pos`), or P(positive).
    public var positive: Double
    /// Share of neutral sentiment (VADER `neu`), or P(neutral).
    public var neutral: Double
    /// Share of negative sentiment (VADER `neg`), or P(negative).
    public var negative: Double
    /// Class probabilities in `SentimentLabel` order, for probabilistic engines.
    public var probabilities: [Double]?

    public init(label: SentimentLabel, compound: Double, positive: Double, neutral: Double,
                negative: Double, probabilities: [Double]? = nil) {
        self.label = label
        self.compound = compound
        self.positive = positive
        self.neutral = neutral
        self.negative = negative
        self.probabilities = probabilities
    }

    /// The result of a post that was counted but not scored (its language is not one the
    /// engine was trained for): label `unscored`, compound and proportions 0. Aggregates
    /// leave it out of every figure but the volume and the `unscored` count.
    public static let unscored = SentimentResult(label: .unscored, compound: 0, positive: 0, neutral: 0, negative: 0)
}
