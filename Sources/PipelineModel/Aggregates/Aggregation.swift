import Foundation

/// Identifies one aggregate bucket: a keyword and the start of a minute bucket.
public struct AggregateKey: Sendable, Hashable, Codable {
    /// The keyword.
    public var keyword: String
    /// Bucket start.
    public var bucketStart: Date

    public init(keyword: String, bucketStart: Date) {
        self.keyword = keyword
        self.bucketStart = bucketStart
    }
}

/// Pure aggregation math shared by every store, so all of them count the same way.
public enum Aggregation {
    /// The per-keyword buckets a batch of scored posts contributes. A post that matched
    /// several keywords counts once in each of them.
    public static func buckets(for posts: some Sequence<ScoredPost>,
                               resolution: BucketResolution = .minute) -> [AggregateKey: KeywordAggregate] {
        var result: [AggregateKey: KeywordAggregate] = [:]
        for scored in posts {
            let start = resolution.bucketStart(for: scored.post.timestamp)
            for keyword in distinct(scored.post.keywords) {
                let key = AggregateKey(keyword: keyword, bucketStart: start)
                result[key, default: KeywordAggregate(keyword: keyword, bucketStart: start, resolution: resolution)]
                    .add(label: scored.sentiment.label, compound: scored.sentiment.compound,
                         at: scored.post.timestamp)
            }
        }
        return result
    }

    /// The keywords without repeats, in their order. A post has one keyword or a few, and
    /// almost never a repeat: the array itself is returned then, where building a `Set`
    /// per post cost an allocation and a hash per keyword.
    public static func distinct(_ keywords: [String]) -> [String] {
        guard keywords.count > 1 else { return keywords }
        for index in 1..<keywords.count where keywords[..<index].contains(keywords[index]) {
            var seen: [String] = []
            for keyword in keywords where !seen.contains(keyword) { seen.append(keyword) }
            return seen
        }
        return keywords
    }

    /// Rolls minute (or finer) buckets of one keyword up to `resolution`, sorted by time.
    public static func rollUp(_ buckets: some Sequence<KeywordAggregate>,
                              to resolution: BucketResolution) -> [KeywordAggregate] {
        var rolled: [Date: KeywordAggregate] = [:]
        for bucket in buckets {
            let start = resolution.bucketStart(for: bucket.bucketStart)
            rolled[start, default: KeywordAggregate(keyword: bucket.keyword, bucketStart: start,
                                                    resolution: resolution)].merge(bucket)
        }
        return rolled.values.sorted { $0.bucketStart < $1.bucketStart }
    }
}
