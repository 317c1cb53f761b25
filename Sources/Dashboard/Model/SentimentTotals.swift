import Foundation
import PipelineModel
import Storage

/// Totals of a set of buckets: the figures the overview row and keyword header show.
public struct SentimentTotals: Sendable, Codable, Equatable {
    /// Posts counted: the volume, `unscored` ones included.
    public var count: Int
    /// Posts per label.
    public var positive: Int, neutral: Int, negative: Int
    /// Posts counted but not scored: their language is not one the engine was trained for.
    public var unscored: Int
    /// Mean compound of scored posts, nil without any.
    public var meanCompound: Double?
    /// Population standard deviation of compound over scored posts, nil without any.
    public var compoundStandardDeviation: Double?
    /// Shares of each label among scored posts in 0…1 (they sum to 1), nil without any.
    public var positiveShare: Double?, neutralShare: Double?, negativeShare: Double?
    /// Share of unscored posts in the volume (`unscored / count`), nil without posts.
    public var unscoredShare: Double?
    /// Compound histogram, ten bins over −1…1.
    public var histogram: [Int]

    /// Sums `buckets` exactly (they are merged, not averaged).
    public init(_ buckets: [KeywordAggregate], keyword: String = "") {
        var all = KeywordAggregate(keyword: keyword, bucketStart: Date(timeIntervalSince1970: 0))
        for bucket in buckets { all.merge(bucket) }
        count = all.count
        positive = all.positive
        neutral = all.neutral
        negative = all.negative
        unscored = all.unscored
        meanCompound = all.meanCompound
        compoundStandardDeviation = all.compoundStandardDeviation
        let scored = Double(all.scoredCount)
        positiveShare = all.scoredCount == 0 ? nil : Double(all.positive) / scored
        neutralShare = all.scoredCount == 0 ? nil : Double(all.neutral) / scored
        negativeShare = all.scoredCount == 0 ? nil : Double(all.negative) / scored
        unscoredShare = all.count == 0 ? nil : Double(all.unscored) / Double(all.count)
        histogram = all.histogram
    }
}
