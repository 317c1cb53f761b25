import Foundation
import PipelineModel
import Storage

/// Totals of a set of buckets: the figures the overview row and keyword header show.
public struct SentimentTotals: Sendable, Codable, Equatable {
    /// Posts counted.
    public var count: Int
    /// Posts per label.
    public var positive: Int, neutral: Int, negative: Int
    /// Mean compound, nil without posts.
    public var meanCompound: Double?
    /// Population standard deviation of compound, nil without posts.
    public var compoundStandardDeviation: Double?
    /// Shares of each label in 0…1, nil without posts.
    public var positiveShare: Double?, neutralShare: Double?, negativeShare: Double?
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
        meanCompound = all.meanCompound
        compoundStandardDeviation = all.compoundStandardDeviation
        let n = Double(all.count)
        positiveShare = all.count == 0 ? nil : Double(all.positive) / n
        neutralShare = all.count == 0 ? nil : Double(all.neutral) / n
        negativeShare = all.count == 0 ? nil : Double(all.negative) / n
        histogram = all.histogram
    }
}
