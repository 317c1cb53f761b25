import PipelineModel
import Foundation

/// Result of recording scored posts.
public struct RecordOutcome: Sendable, Hashable {
    /// Posts stored and counted for the first time.
    public var inserted: Int
    /// Posts already stored (redeliveries), not counted again.
    public var duplicates: Int

    public init(inserted: Int, duplicates: Int) {
        self.inserted = inserted
        self.duplicates = duplicates
    }
}

/// One keyword known to the store, for the overview page.
public struct KeywordSummary: Sendable, Hashable, Codable {
    /// The keyword.
    public var keyword: String
    /// All posts counted for it.
    public var totalCount: Int
    /// Timestamp of its latest post.
    public var lastSeen: Date?

    public init(keyword: String, totalCount: Int, lastSeen: Date?) {
        self.keyword = keyword
        self.totalCount = totalCount
        self.lastSeen = lastSeen
    }
}

/// The most positive and most negative posts of a keyword in a time range.
public struct KeywordExtremes: Sendable, Hashable, Codable {
    /// Highest compound first.
    public var mostPositive: [ScoredPost]
    /// Lowest compound first.
    public var mostNegative: [ScoredPost]

    public init(mostPositive: [ScoredPost], mostNegative: [ScoredPost]) {
        self.mostPositive = mostPositive
        self.mostNegative = mostNegative
    }
}

/// Something that changed in a store, pushed to live dashboards.
public enum StoreChange: Sendable, Hashable {
    /// Newly recorded posts.
    case posts([ScoredPost])
    /// Aggregate buckets after an update (their full new values).
    case aggregates([KeywordAggregate])
}

/// Where scored posts and their per-keyword aggregates live, and everything the
/// dashboard asks of them.
public protocol SentimentStore: Sendable {
    /// Stores posts and counts them in minute aggregates, exactly once per post id:
    /// a post already stored is neither stored nor counted again.
    func record(_ posts: [ScoredPost]) async throws -> RecordOutcome
    /// Every keyword with its total count.
    func keywords() async throws -> [KeywordSummary]
    /// Buckets of `keyword` whose start lies in `range`, rolled up to `resolution`, by time.
    func series(keyword: String, in range: DateInterval,
                resolution: BucketResolution) async throws -> [KeywordAggregate]
    /// The `limit` most positive and most negative posts of `keyword` in `range`; scored
    /// posts only (an `unscored` post's compound 0 is no verdict).
    func extremes(keyword: String, in range: DateInterval, limit: Int) async throws -> KeywordExtremes
    /// The newest posts (by timestamp) of `keyword`, or of all keywords when nil.
    func recentPosts(keyword: String?, limit: Int) async throws -> [ScoredPost]
    /// A page of the posts of `query.keyword` in `query.range` (half-open), newest first
    /// (timestamp, then id, descending), filtered by label and words, continuing after
    /// `query.after`. Stable while posts arrive: a cursor never repeats or skips a post that
    /// was stored when the listing began. Posts removed by retention are not listed.
    func posts(_ query: PostQuery) async throws -> PostPage
    /// The scored post with this id, if stored.
    func post(id: String) async throws -> ScoredPost?
    /// A live feed of changes from now on; ends when the task is cancelled.
    func changes() async throws -> AsyncThrowingStream<StoreChange, Error>
    /// Throws if the store cannot be reached (health checks).
    func ping() async throws
}
