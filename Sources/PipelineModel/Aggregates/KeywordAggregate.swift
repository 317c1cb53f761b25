import Foundation

/// Exact sentiment statistics of one keyword over one time bucket.
///
/// Everything is a sum, so buckets merge exactly (roll-ups, partial batches, shards).
public struct KeywordAggregate: Sendable, Hashable, Codable {
    /// Number of histogram bins over compound −1…1 (width 0.2).
    public static let histogramBins = 10

    /// The keyword (rule tag).
    public var keyword: String
    /// Start of the bucket.
    public var bucketStart: Date
    /// Width of the bucket.
    public var resolution: BucketResolution
    /// Posts counted.
    public var count: Int
    /// Posts labelled positive.
    public var positive: Int
    /// Posts labelled neutral.
    public var neutral: Int
    /// Posts labelled negative.
    public var negative: Int
    /// Sum of compound scores.
    public var compoundSum: Double
    /// Sum of squared compound scores (for the variance).
    public var compoundSumOfSquares: Double
    /// Counts of compound scores in 10 equal bins over −1…1; 1.0 falls in the last bin.
    public var histogram: [Int]
    /// Earliest post timestamp counted.
    public var firstSeen: Date?
    /// Latest post timestamp counted.
    public var lastSeen: Date?

    /// An empty bucket.
    public init(keyword: String, bucketStart: Date, resolution: BucketResolution = .minute) {
        self.keyword = keyword
        self.bucketStart = bucketStart
        self.resolution = resolution
        self.count = 0
        self.positive = 0
        self.neutral = 0
        self.negative = 0
        self.compoundSum = 0
        self.compoundSumOfSquares = 0
        self.histogram = Array(repeating: 0, count: Self.histogramBins)
        self.firstSeen = nil
        self.lastSeen = nil
    }

    /// The histogram bin of a compound score.
    public static func histogramBin(for compound: Double) -> Int {
        let clamped = min(max(compound, -1), 1)
        return min(Self.histogramBins - 1, Int(((clamped + 1) / 2 * Double(Self.histogramBins)).rounded(.down)))
    }

    /// Counts one scored post.
    public mutating func add(label: SentimentLabel, compound: Double, at timestamp: Date) {
        count += 1
        switch label {
        case .positive: positive += 1
        case .neutral: neutral += 1
        case .negative: negative += 1
        }
        compoundSum += compound
        compoundSumOfSquares += compound * compound
        histogram[Self.histogramBin(for: compound)] += 1
        firstSeen = firstSeen.map { min($0, timestamp) } ?? timestamp
        lastSeen = lastSeen.map { max($0, timestamp) } ?? timestamp
    }

    /// Adds another bucket's sums into this one (same keyword; bucket start is kept).
    public mutating func merge(_ other: KeywordAggregate) {
        count += other.count
        positive += other.positive
        neutral += other.neutral
        negative += other.negative
        compoundSum += other.compoundSum
        compoundSumOfSquares += other.compoundSumOfSquares
        for i in histogram.indices { histogram[i] += other.histogram[i] }
        if let f = other.firstSeen { firstSeen = firstSeen.map { min($0, f) } ?? f }
        if let l = other.lastSeen { lastSeen = lastSeen.map { max($0, l) } ?? l }
    }

    /// Mean compound, or nil for an empty bucket.
    public var meanCompound: Double? { count == 0 ? nil : compoundSum / Double(count) }

    /// Population standard deviation of compound, or nil for an empty bucket.
    public var compoundStandardDeviation: Double? {
        guard count > 0, let mean = meanCompound else { return nil }
        return (max(0, compoundSumOfSquares / Double(count) - mean * mean)).squareRoot()
    }
}
