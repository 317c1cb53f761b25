import Foundation

/// A lock-protected `SentimentStore` for one process: the embedded default of the
/// single-process pipeline and the reference implementation of the store contract.
///
/// - `record` is exactly-once by post id and takes one lock per batch; the aggregate math
///   runs before the lock is taken (and again only for batches holding duplicates).
/// - Orders: recent posts newest timestamp first (ties: larger id first); extremes by
///   compound (ties: smaller id first); keywords by name.
/// - Change feed: every subscriber gets its own buffer of `changeBuffer` changes. A slow
///   subscriber never blocks `record`: when its buffer is full the *oldest* change is
///   dropped. Aggregate changes carry the buckets' full values, so the next change of a
///   bucket repairs a dropped one; a dashboard that needs everything re-queries.
/// - Retention: with `postRetention`, only the newest recorded posts are kept (aggregates
///   are always kept). An evicted post's id is forgotten, so a redelivery of it *after*
///   eviction would count again — the same trade-off as a TTL on MongoDB's `tweets`;
///   keep the retention far above the queue's redelivery window.
public final class InMemorySentimentStore: SentimentStore {
    /// Limits of the store.
    public struct Configuration: Sendable {
        /// Posts kept at most (oldest recorded evicted first); nil keeps all.
        public var postRetention: Int?
        /// Changes buffered per change-feed subscriber before the oldest is dropped.
        public var changeBuffer: Int

        public init(postRetention: Int? = nil, changeBuffer: Int = 1024) {
            precondition((postRetention ?? 1) > 0 && changeBuffer > 0)
            self.postRetention = postRetention
            self.changeBuffer = changeBuffer
        }
    }

    private struct KeywordState {
        var buckets: [Date: KeywordAggregate] = [:]
        var total = 0
        var lastSeen: Date?
        /// The keyword's stored posts in record order, as the small keys the page queries
        /// rank by: extremes and newest posts scan these and look up only the winners.
        var postKeys = FIFO<PostKey>()
    }

    /// What ranking a keyword's posts needs, without the post itself (hundreds of bytes).
    private struct PostKey {
        var id: String
        var timestamp: Date
        var compound: Double

        init(_ post: ScoredPost) {
            id = post.id
            timestamp = post.post.timestamp
            compound = post.sentiment.compound
        }
    }

    private struct State {
        var posts = PostTable()
        /// Record order of all stored posts; kept only when retention is bounded.
        var recordOrder = FIFO<String>()
        var keywords: [String: KeywordState] = [:]
        var subscribers: [UInt64: AsyncThrowingStream<StoreChange, Error>.Continuation] = [:]
        var nextSubscriber: UInt64 = 0
    }

    private let configuration: Configuration
    private let state = LockedState(State())

    /// An empty store.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    deinit {
        let subscribers = state.withLock { s in s.subscribers.values }
        for subscriber in subscribers { subscriber.finish() }
    }

    public func record(_ posts: [ScoredPost]) async throws -> RecordOutcome {
        guard !posts.isEmpty else { return RecordOutcome(inserted: 0, duplicates: 0) }
        // Optimistic: most batches hold no duplicates, so do the math outside the lock.
        let optimistic = Aggregation.buckets(for: posts)
        let postKeywords = posts.map { Aggregation.distinct($0.post.keywords) }  // outside the lock
        return state.withLock { s in
            var fresh: [ScoredPost] = []
            var freshKeywords: [[String]] = []
            fresh.reserveCapacity(posts.count)
            freshKeywords.reserveCapacity(posts.count)
            for (post, keywords) in zip(posts, postKeywords) where s.posts.insertIfAbsent(post) {
                fresh.append(post)
                freshKeywords.append(keywords)
            }
            let duplicates = posts.count - fresh.count
            guard !fresh.isEmpty else { return RecordOutcome(inserted: 0, duplicates: duplicates) }
            let buckets = duplicates == 0 ? optimistic : Aggregation.buckets(for: fresh)

            let publishing = !s.subscribers.isEmpty
            var updated: [KeywordAggregate] = []
            for (key, bucket) in buckets {
                // Mutated in place through the subscript: copying a keyword out would copy its lists.
                let value = Self.add(bucket, to: &s.keywords[key.keyword, default: KeywordState()])
                if publishing { updated.append(value) }
            }
            let bounded = configuration.postRetention != nil
            for (post, keywords) in zip(fresh, freshKeywords) {
                let key = PostKey(post)
                for keyword in keywords { s.keywords[keyword]?.postKeys.push(key) }
                if bounded { s.recordOrder.push(post.id) }
            }
            if let retention = configuration.postRetention { Self.evict(&s, keeping: retention) }

            // Yielded under the lock so every subscriber sees bucket values in commit order.
            if publishing {
                updated.sort { ($0.keyword, $0.bucketStart) < ($1.keyword, $1.bucketStart) }
                for subscriber in s.subscribers.values {
                    subscriber.yield(.posts(fresh))
                    subscriber.yield(.aggregates(updated))
                }
            }
            return RecordOutcome(inserted: fresh.count, duplicates: duplicates)
        }
    }

    public func keywords() async throws -> [KeywordSummary] {
        state.withLock { s in
            s.keywords.map { KeywordSummary(keyword: $0.key, totalCount: $0.value.total, lastSeen: $0.value.lastSeen) }
        }.sorted { $0.keyword < $1.keyword }
    }

    public func series(keyword: String, in range: DateInterval,
                       resolution: BucketResolution) async throws -> [KeywordAggregate] {
        state.withLock { s in
            guard let buckets = s.keywords[keyword]?.buckets else { return [] }
            // Buckets are keyed by minute start: a window shorter than the keyword's history
            // probes its own minutes (60 lookups for an hour, not a scan of a week); a long
            // one scans once. Either way they are rolled up without an intermediate copy.
            let first = BucketResolution.minute.bucketStart(for: range.start)
            let minutes = Int((range.end.timeIntervalSince(first) / 60).rounded(.down)) + 1
            if minutes < buckets.count {
                let starts = (0..<minutes).lazy.map { first.addingTimeInterval(Double($0) * 60) }
                    .filter { range.contains($0) }
                return Aggregation.rollUp(starts.compactMap { buckets[$0] }, to: resolution)
            }
            return Aggregation.rollUp(buckets.values.lazy.filter { range.contains($0.bucketStart) }, to: resolution)
        }
    }

    public func extremes(keyword: String, in range: DateInterval, limit: Int) async throws -> KeywordExtremes {
        state.withLock { s in
            guard let all = s.keywords[keyword]?.postKeys.elements else {
                return KeywordExtremes(mostPositive: [], mostNegative: [])
            }
            // Ranked on the keyword's small keys; only the winners are looked up and copied
            // out whole (a post is hundreds of bytes, a keyword has thousands of them).
            let keys = all.lazy.filter { range.contains($0.timestamp) }
            let posts = s.posts  // shares storage
            func load(_ winners: [PostKey]) -> [ScoredPost] { winners.compactMap { posts[$0.id] } }
            return KeywordExtremes(
                mostPositive: load(TopK.select(keys, k: limit) { $0.compound != $1.compound ? $0.compound > $1.compound : $0.id < $1.id }),
                mostNegative: load(TopK.select(keys, k: limit) { $0.compound != $1.compound ? $0.compound < $1.compound : $0.id < $1.id }))
        }
    }

    public func recentPosts(keyword: String?, limit: Int) async throws -> [ScoredPost] {
        state.withLock { s in
            if let keyword {
                guard let keys = s.keywords[keyword]?.postKeys.elements else { return [] }
                // Ranked on the small keys; only the winners are copied out whole.
                let newest = TopK.select(keys, k: limit) { $0.timestamp != $1.timestamp ? $0.timestamp > $1.timestamp : $0.id > $1.id }
                return newest.compactMap { s.posts[$0.id] }
            }
            return TopK.select(s.posts.values, k: limit, by: Self.newer)
        }
    }

    public func post(id: String) async throws -> ScoredPost? {
        state.withLock { s in s.posts[id] }
    }

    public func changes() async throws -> AsyncThrowingStream<StoreChange, Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(
            of: StoreChange.self, bufferingPolicy: .bufferingNewest(configuration.changeBuffer))
        let id = state.withLock { s -> UInt64 in
            s.nextSubscriber += 1
            s.subscribers[s.nextSubscriber] = continuation
            return s.nextSubscriber
        }
        continuation.onTermination = { [weak state] _ in
            state?.withLock { s in _ = s.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    public func ping() async throws {}

    // MARK: - Internals

    private static func newer(_ a: ScoredPost, _ b: ScoredPost) -> Bool {
        a.post.timestamp != b.post.timestamp ? a.post.timestamp > b.post.timestamp : a.id > b.id
    }

    /// Merges a batch's bucket into the keyword; returns the bucket's new value.
    private static func add(_ bucket: KeywordAggregate, to keyword: inout KeywordState) -> KeywordAggregate {
        keyword.total += bucket.count
        if let last = bucket.lastSeen { keyword.lastSeen = max(keyword.lastSeen ?? last, last) }
        keyword.buckets[bucket.bucketStart, default: KeywordAggregate(keyword: bucket.keyword,
                                                                      bucketStart: bucket.bucketStart)]
            .merge(bucket)
        return keyword.buckets[bucket.bucketStart]!
    }

    /// Drops the oldest recorded posts beyond `retention`. Record order is global, so an
    /// evicted post is also the oldest entry of each of its keywords' lists.
    private static func evict(_ s: inout State, keeping retention: Int) {
        while s.posts.count > retention, let id = s.recordOrder.pop() {
            guard let post = s.posts.removeValue(forKey: id) else { continue }
            for keyword in Aggregation.distinct(post.post.keywords) { _ = s.keywords[keyword]?.postKeys.pop() }
        }
    }
}
