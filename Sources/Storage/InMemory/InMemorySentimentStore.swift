import PipelineModel
import Foundation
import Synchronization

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
/// - Retention by count: with `postRetention`, only the newest recorded posts are kept
///   (aggregates are always kept).
/// - Retention by time: with `retention`, posts and minute buckets whose time is more than
///   `retention` before the newest post time seen are pruned; each pruned minute bucket is
///   folded into an hourly bucket kept `hourlyRetention` (default 90 days), so hour-wide
///   series stay whole long after their minutes are gone. Time is the posts' own, not the
///   wall clock: a replay of an old archive keeps its last week instead of pruning it all
///   on arrival, and a store that receives nothing keeps what it has. (A post stamped
///   ahead of the wall clock moves the horizon only as far as the wall clock, so one bad
///   timestamp cannot empty the store.) Pruning runs inside `record` when the horizon
///   passes a minute boundary, and costs what it removes. A post older than the horizon
///   when it arrives is counted (totals, hourly bucket) but not stored.
///   What stays exact: all-time totals and last-seen per keyword (pruned posts keep
///   counting), series at any resolution inside the retention, hour-resolution series
///   inside the hourly retention (a pruned hour is answered whole, included when its start
///   lies in the range); finer series outside the retention are empty there.
/// - Either way a post removed by retention, or counted but not stored, keeps its id (about
///   20 bytes for an X id; see `RecentPostIDs`), so a redelivery or replay of it is still not
///   counted again. Those ids are bounded by `rememberedIDs`: the newest half of that many
///   are always remembered; a post repeated after more were forgotten may count again.
public final class InMemorySentimentStore: SentimentStore {
    /// Limits of the store.
    public struct Configuration: Sendable {
        /// Posts kept at most (oldest recorded evicted first); nil keeps all.
        public var postRetention: Int?
        /// Changes buffered per change-feed subscriber before the oldest is dropped.
        public var changeBuffer: Int
        /// How far before the newest post time posts and minute buckets are kept; nil keeps all.
        public var retention: Duration?
        /// How far before the newest post time hourly roll-ups of pruned minutes are kept;
        /// nil keeps them all. Only used with `retention`.
        public var hourlyRetention: Duration?
        /// Ids of posts no longer stored remembered at most (the newest half always), so a
        /// repeat of one is not counted again; about 20 bytes each for X ids.
        public var rememberedIDs: Int

        /// The retention `pipeline` uses unless told otherwise: a week of posts and minutes.
        public static let defaultRetention: Duration = .seconds(7 * 86_400)
        /// Hourly roll-ups are kept a season: 24 buckets a day per keyword cost little.
        public static let defaultHourlyRetention: Duration = .seconds(90 * 86_400)
        /// A million forgotten ids (~20 MB at most): days of a busy stream's repeats.
        public static let defaultRememberedIDs = 1_000_000

        public init(postRetention: Int? = nil, changeBuffer: Int = 1024, retention: Duration? = nil,
                    hourlyRetention: Duration? = Configuration.defaultHourlyRetention,
                    rememberedIDs: Int = Configuration.defaultRememberedIDs) {
            precondition((postRetention ?? 1) > 0 && changeBuffer > 0 && rememberedIDs >= 0)
            precondition((retention ?? .seconds(60)) >= .seconds(60), "retention below a minute bucket")
            self.postRetention = postRetention
            self.changeBuffer = changeBuffer
            self.retention = retention
            self.hourlyRetention = hourlyRetention.map { max($0, retention ?? $0) }
            self.rememberedIDs = rememberedIDs
        }
    }

    struct KeywordState {
        var buckets: [Date: KeywordAggregate] = [:]
        /// Roll-ups of pruned minute buckets, by hour start (time retention only).
        var hours: [Date: KeywordAggregate] = [:]
        var total = 0
        var lastSeen: Date?
        /// The keyword's stored posts in record order, as the small keys the page queries
        /// rank by: extremes and newest posts scan these and look up only the winners.
        var postKeys = FIFO<PostKey>()
        /// The same posts filed by minute in time order, for the drill-down's pages.
        var timeline = PostTimeline()
    }

    /// What ranking a keyword's posts needs, without the post itself (hundreds of bytes).
    struct PostKey {
        var id: String
        var timestamp: Date
        var compound: Double
        /// False for an `unscored` post, whose compound 0 is no verdict: never an extreme.
        var isScored: Bool

        init(_ post: ScoredPost) {
            id = post.id
            timestamp = post.post.timestamp
            compound = post.sentiment.compound
            isScored = post.sentiment.label.isClass
        }
    }

    struct State {
        var posts: PostTable
        /// Record order of all stored posts; kept only when retention is bounded.
        var recordOrder = FIFO<String>()
        var keywords: [String: KeywordState] = [:]
        var subscribers: [UInt64: AsyncThrowingStream<StoreChange, Error>.Continuation] = [:]
        var nextSubscriber: UInt64 = 0
        /// Time retention: the newest post time seen, and what is filed by time for pruning.
        var newest: Date?
        /// Posts and minute buckets before it are pruned (minute-aligned); distantPast
        /// without time retention.
        var horizon = Date.distantPast
        /// Hourly roll-ups before it are dropped (hour-aligned).
        var hourHorizon = Date.distantPast
        var postsByMinute = TimeIndex<String>(width: .minute)
        var keywordsByMinute = TimeIndex<String>(width: .minute)
        var keywordsByHour = TimeIndex<String>(width: .hour)
    }

    let configuration: Configuration
    let state: Mutex<State>

    /// An empty store.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        state = Mutex(State(posts: PostTable(rememberedIDs: configuration.rememberedIDs)))
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
        let newestInBatch = configuration.retention == nil ? nil : posts.lazy.map(\.post.timestamp).max()
        let now = Date()
        return state.withLock { s in
            if let newestInBatch, let retention = configuration.retention {
                Self.advance(&s, newest: min(newestInBatch, now), retention: retention,
                             hourlyRetention: configuration.hourlyRetention)
            }
            var fresh: [ScoredPost] = []
            var freshKeywords: [[String]] = []
            var stored: [Bool] = []
            fresh.reserveCapacity(posts.count)
            freshKeywords.reserveCapacity(posts.count)
            for (post, keywords) in zip(posts, postKeywords) {
                // A post already behind the horizon is counted but not stored (it would be
                // pruned at once); only its id is kept, so a repeat is still refused.
                let late = post.post.timestamp < s.horizon
                if late {
                    guard s.posts.rememberIfAbsent(post.id) else { continue }
                } else {
                    guard s.posts.insertIfAbsent(post) else { continue }
                }
                fresh.append(post)
                freshKeywords.append(keywords)
                stored.append(!late)
            }
            let duplicates = posts.count - fresh.count
            guard !fresh.isEmpty else { return RecordOutcome(inserted: 0, duplicates: duplicates) }
            let buckets = duplicates == 0 ? optimistic : Aggregation.buckets(for: fresh)

            let publishing = !s.subscribers.isEmpty
            var updated: [KeywordAggregate] = []
            for (key, bucket) in buckets {
                if bucket.bucketStart < s.horizon {
                    // Late posts: counted in the keyword's totals and its hour, no minute.
                    Self.count(bucket, in: &s.keywords[key.keyword, default: KeywordState()])
                    Self.foldIntoHour(bucket, &s)
                    continue
                }
                let isNew = s.keywords[key.keyword]?.buckets[key.bucketStart] == nil
                // Mutated in place through the subscript: copying a keyword out would copy its lists.
                let value = Self.add(bucket, to: &s.keywords[key.keyword, default: KeywordState()])
                if isNew, configuration.retention != nil { s.keywordsByMinute.insert(key.keyword, at: key.bucketStart) }
                if publishing { updated.append(value) }
            }
            let bounded = configuration.postRetention != nil
            let timed = configuration.retention != nil
            for ((post, keywords), isStored) in zip(zip(fresh, freshKeywords), stored) where isStored {
                let key = PostKey(post)
                let entry = PostTimeline.Entry(timestamp: key.timestamp, id: key.id, label: post.sentiment.label)
                for keyword in keywords {
                    s.keywords[keyword]?.postKeys.push(key)
                    s.keywords[keyword]?.timeline.insert(entry)
                }
                if bounded { s.recordOrder.push(post.id) }
                if timed { s.postsByMinute.insert(post.id, at: BucketResolution.minute.bucketStart(for: key.timestamp)) }
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

    public func changes() async throws -> AsyncThrowingStream<StoreChange, Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(
            of: StoreChange.self, bufferingPolicy: .bufferingNewest(configuration.changeBuffer))
        let id = state.withLock { s -> UInt64 in
            s.nextSubscriber += 1
            s.subscribers[s.nextSubscriber] = continuation
            return s.nextSubscriber
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { s in _ = s.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    public func ping() async throws {}

    // MARK: - Internals

    static func newer(_ a: ScoredPost, _ b: ScoredPost) -> Bool {
        a.post.timestamp != b.post.timestamp ? a.post.timestamp > b.post.timestamp : a.id > b.id
    }

    /// Merges a batch's bucket into the keyword; returns the bucket's new value.
    static func add(_ bucket: KeywordAggregate, to keyword: inout KeywordState) -> KeywordAggregate {
        count(bucket, in: &keyword)
        keyword.buckets[bucket.bucketStart, default: KeywordAggregate(keyword: bucket.keyword,
                                                                      bucketStart: bucket.bucketStart)]
            .merge(bucket)
        return keyword.buckets[bucket.bucketStart]!
    }

    /// Counts a batch's bucket in the keyword's all-time total and last-seen time.
    static func count(_ bucket: KeywordAggregate, in keyword: inout KeywordState) {
        keyword.total += bucket.count
        if let last = bucket.lastSeen { keyword.lastSeen = max(keyword.lastSeen ?? last, last) }
    }
}
