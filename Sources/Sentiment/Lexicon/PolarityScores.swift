import PipelineModel

/// VADER's output for one text, rounded as the reference rounds it: proportions to three
/// decimals, compound to four.
public struct PolarityScores: Sendable, Hashable, Codable {
    /// Share of negative valence, 0…1.
    public var negative: Double
    /// Share of neutral tokens, 0…1.
    public var neutral: Double
    /// Share of positive valence, 0…1.
    public var positive: Double
    /// Normalised sum of valences, −1…1.
    public var compound: Double

    /// Creates scores.
    public init(negative: Double, neutral: Double, positive: Double, compound: Double) {
        self.negative = negative
        self.neutral = neutral
        self.positive = positive
        self.compound = compound
    }

    /// The engine result, labelled by the paper's ±0.05 thresholds on compound.
    public var result: SentimentResult {
        SentimentResult(label: SentimentLabel(compound: compound), compound: compound,
                        positive: positive, neutral: neutral, negative: negative)
    }
}
