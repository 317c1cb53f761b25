import PipelineModel
import Foundation

/// A store that wraps another and changes only some of its calls (timing, probing,
/// fault injection): every requirement it does not implement itself goes to `base`.
public protocol ForwardingSentimentStore: SentimentStore {
    /// The wrapped store.
    var base: any SentimentStore { get }
}

extension ForwardingSentimentStore {
    public func record(_ posts: [ScoredPost]) async throws -> RecordOutcome { try await base.record(posts) }
    public func keywords() async throws -> [KeywordSummary] { try await base.keywords() }
    public func series(keyword: String, in range: DateInterval,
                       resolution: BucketResolution) async throws -> [KeywordAggregate] {
        try await base.series(keyword: keyword, in: range, resolution: resolution)
    }
    public func extremes(keyword: String, in range: DateInterval, limit: Int) async throws -> KeywordExtremes {
        try await base.extremes(keyword: keyword, in: range, limit: limit)
    }
    public func recentPosts(keyword: String?, limit: Int) async throws -> [ScoredPost] {
        try await base.recentPosts(keyword: keyword, limit: limit)
    }
    public func posts(_ query: PostQuery) async throws -> PostPage { try await base.posts(query) }
    public func post(id: String) async throws -> ScoredPost? { try await base.post(id: id) }
    public func changes() async throws -> AsyncThrowingStream<StoreChange, Error> { try await base.changes() }
    public func ping() async throws { try await base.ping() }
}
