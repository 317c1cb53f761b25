import Foundation
import PipelineCore
import Sentiment

/// A small `SentimentStore` for router tests, built on the shared `Aggregation` math.
/// (The project's `InMemorySentimentStore` replaces it once merged.)
actor FixtureStore: SentimentStore {
    private var posts: [String: ScoredPost] = [:]
    private var buckets: [AggregateKey: KeywordAggregate] = [:]
    private var subscribers: [UUID: AsyncThrowingStream<StoreChange, Error>.Continuation] = [:]
    var isDown = false

    func setDown(_ down: Bool) { isDown = down }

    func record(_ batch: [ScoredPost]) async throws -> RecordOutcome {
        var fresh: [ScoredPost] = []
        for post in batch where posts[post.id] == nil {
            posts[post.id] = post
            fresh.append(post)
        }
        for (key, bucket) in Aggregation.buckets(for: fresh) {
            buckets[key, default: KeywordAggregate(keyword: key.keyword, bucketStart: key.bucketStart)].merge(bucket)
        }
        if !fresh.isEmpty {
            for continuation in subscribers.values { continuation.yield(.posts(fresh)) }
        }
        return RecordOutcome(inserted: fresh.count, duplicates: batch.count - fresh.count)
    }

    func keywords() async throws -> [KeywordSummary] {
        var summaries: [String: KeywordSummary] = [:]
        for bucket in buckets.values {
            var s = summaries[bucket.keyword, default: KeywordSummary(keyword: bucket.keyword, totalCount: 0, lastSeen: nil)]
            s.totalCount += bucket.count
            if let l = bucket.lastSeen { s.lastSeen = max(s.lastSeen ?? l, l) }
            summaries[bucket.keyword] = s
        }
        return summaries.values.sorted { $0.keyword < $1.keyword }
    }

    func series(keyword: String, in range: DateInterval, resolution: BucketResolution) async throws -> [KeywordAggregate] {
        let selected = buckets.values.filter { $0.keyword == keyword && range.contains($0.bucketStart) }
        return Aggregation.rollUp(selected, to: resolution)
    }

    func extremes(keyword: String, in range: DateInterval, limit: Int) async throws -> KeywordExtremes {
        let inRange = posts.values.filter { $0.post.keywords.contains(keyword) && range.contains($0.post.timestamp) }
        let sorted = inRange.sorted { ($0.sentiment.compound, $1.id) > ($1.sentiment.compound, $0.id) }
        return KeywordExtremes(mostPositive: Array(sorted.prefix(limit)),
                               mostNegative: Array(sorted.reversed().prefix(limit)))
    }

    func recentPosts(keyword: String?, limit: Int) async throws -> [ScoredPost] {
        let matching = posts.values.filter { keyword == nil || $0.post.keywords.contains(keyword!) }
        return Array(matching.sorted { ($0.post.timestamp, $0.id) > ($1.post.timestamp, $1.id) }.prefix(limit))
    }

    func post(id: String) async throws -> ScoredPost? { posts[id] }

    func changes() async throws -> AsyncThrowingStream<StoreChange, Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: StoreChange.self)
        let id = UUID()
        subscribers[id] = continuation
        continuation.onTermination = { _ in Task { await self.drop(id) } }
        return stream
    }

    private func drop(_ id: UUID) { subscribers[id] = nil }

    func ping() async throws {
        if isDown { throw StoreDown() }
    }

    struct StoreDown: Error, CustomStringConvertible {
        var description: String { "connection refused to mongodb://admin:secret@db:27017" }
    }
}
