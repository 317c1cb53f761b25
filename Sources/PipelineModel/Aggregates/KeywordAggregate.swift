import Foundation

/// Exact sentiment statistics of one keyword over one time bucket.
///
/// Everything is a sum, so buckets merge exactly (roll-ups, partial batches, shards).
/// `count` is the volume: every post, scored or not. An `unscored` post (a language the
/// engine was not trained for) adds to `count` and `unscored` only; the label counts, the
/// compound sums and the histogram, and so the mean and the shares, are over scored posts.
public struct KeywordAggregate: Sendable, Hashable, Codable {
    /// Number of histogram bins over compound −1…1 (width 0.2).
    public static let histogramBins = 10

    /// The keyword (rule tag).
    public var keyword: String
    /// Start of the bucket.
    public var bucketStart: Date
    /// Width of the bucket.
    public var resolution: BucketResolution
    /// Posts counted: the volume, including `unscored` posts.
    public var count: Int
    /// Posts labelled positive.
    public var positive: Int
    /// Posts labelled neutral.
    public var neutral: Int
    /// Posts labelled negative.
    public var negative: Int
    /// Posts counted but not scored (language not one the engine was trained for).
    public var unscored: Int
    /// Sum of compound scores of scored posts.
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
        self.unscored = 0
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

    /// Counts one post. An `unscored` one counts in volume only: its compound (0 by
    /// convention) would otherwise pull the mean and the histogram towards neutral.
    public mutating func add(label: SentimentLabel, compound: Double, at timestamp: Date) {
        count += 1
        switch label {
        case .positive: positive += 1
        case .neutral: neutral += 1
        case .negative: negative += 1
        case .unscored: unscored += 1
        }
        if label.isClass {
            compoundSum += compound
            compoundSumOfSquares += compound * compound
            histogram[Self.histogramBin(for: compound)] += 1
        }
        firstSeen = firstSeen.map { min($0, timestamp) } ?? timestamp
        lastSeen = lastSeen.map { max($0, timestamp) } ?? timestamp
    }

    /// Adds another bucket's sums into this one (same keyword; bucket start is kept).
    public mutating func merge(_ other: KeywordAggregate) {
        count += other.count
        positive += other.positive
        neutral += other.neutral
        negative += other.negative
        unscored += other.unscored
        compoundSum += other.compoundSum
        compoundSumOfSquares += other.compoundSumOfSquares
        for i in histogram.indices { histogram[i] += other.histogram[i] }
        if let f = other.firstSeen { firstSeen = firstSeen.map { min($0, f) } ?? f }
        if let l = other.lastSeen { lastSeen = lastSeen.map { max($0, l) } ?? l }
    }

    /// Posts scored (labelled positive, neutral or negative): `count` less `unscored`.
    public var scoredCount: Int { count - unscored }

    /// Mean compound over scored posts, or nil when none was scored.
    public var meanCompound: Double? { scoredCount == 0 ? nil : compoundSum / Double(scoredCount) }

    /// Population standard deviation of compound over scored posts, or nil when none was scored.
    public var compoundStandardDeviation: Double? {
        guard scoredCount > 0, let mean = meanCompound else { return nil }
        return (max(0, compoundSumOfSquares / Double(scoredCount) - mean * mean)).squareRoot()
    }
}
