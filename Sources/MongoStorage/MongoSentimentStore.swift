import Foundation
import Logging
import MongoKit
import PipelineModel
import Storage

/// The `SentimentStore` on MongoDB: `tweets` (one document per post, `_id` = post id)
/// and `aggregates` (one document per keyword per minute bucket), with each keyword's
/// all-time total and last post in `keywords` (so listing keywords does not read the
/// whole bucket history). Those totals are split over `keywordTotalSlots` documents per
/// keyword, each transaction adding to a random one: every batch touches its keywords'
/// totals, and one document per keyword would make concurrent consumers' transactions
/// conflict on it every time.
///
/// `record` runs in one multi-document transaction — `$inc` the buckets, insert the ids
/// into `recorded` (when posts expire), insert the posts — so a post is counted exactly
/// when its id is recorded, once, even with concurrent consumers or a crash at any point
/// (the transaction commits whole or not at all). The first try inserts the whole batch;
/// if any id is already recorded (a redelivery, a replay), that transaction aborts and a
/// second one reads which ids are recorded and counts the rest. `MongoBatchRecorder`
/// acknowledges the batch in the queue inside the same transaction.
///
/// When posts expire (`tweetRetention`), exactly-once is decided by `recorded`, not
/// `tweets`: a post the TTL deleted must not look new when redelivered or replayed.
/// `recorded` holds only ids (one small document per post, so the transaction pays
/// ~30 µs per post for it on the test server, against ~100 µs for the post) and is
/// bounded by its own TTL, `idRetention`, counted from when the post was recorded — so a
/// replay of an old archive is remembered from the replay on. Without retention, `tweets`'
/// own ids decide and `recorded` is not written. Transactions need a replica set (a single
/// node is enough). Transient transaction errors (write conflicts between consumers) are retried.
///
/// The change feed uses change streams on both collections; where the server has none
/// (a standalone `mongod`), or when configured so, it polls `tweets` by the time each
/// post was recorded (see `MongoSentimentStore+Polling.swift`).
public struct MongoSentimentStore: SentimentStore {
    /// How `changes()` learns about new posts and buckets.
    public enum ChangeFeed: String, Sendable, CaseIterable {
        /// Change streams, falling back to polling when the server refuses them.
        case automatic
        /// Polling only (a server without change streams, or tests of the fallback).
        case polling
    }

    /// Options of the store.
    public struct Configuration: Sendable {
        /// Delete posts this long after they were received (aggregates are kept); nil keeps them.
        public var tweetRetention: Duration?
        /// Changes buffered per change-feed subscriber before the oldest is dropped.
        public var changeBuffer: Int
        /// Change streams or polling.
        public var changeFeed: ChangeFeed
        /// How often the polling feed asks for new posts.
        public var pollInterval: Duration
        /// How far back each poll looks again, for posts whose transaction committed
        /// after a later one's (slow commits) or that a host with a lagging clock recorded.
        public var pollLookback: Duration
        /// When posts expire, how long a recorded post's id is remembered (in `recorded`),
        /// so a redelivery or replay of it is not counted again; nil: 4 × `tweetRetention`.
        /// Never less than `tweetRetention`. Without retention, posts (and so their ids)
        /// are kept for good.
        public var idRetention: Duration?

        public init(tweetRetention: Duration? = nil, changeBuffer: Int = 1024, changeFeed: ChangeFeed = .automatic,
                    pollInterval: Duration = .seconds(1), pollLookback: Duration = .seconds(10),
                    idRetention: Duration? = nil) {
            self.tweetRetention = tweetRetention
            self.idRetention = idRetention
            self.changeBuffer = changeBuffer
            self.changeFeed = changeFeed
            self.pollInterval = pollInterval
            self.pollLookback = pollLookback
        }

        /// The TTL of `recorded` (see `idRetention`); nil when posts do not expire and
        /// `recorded` is not used.
        var recordedIDsExpireAfter: Duration? {
            guard let tweetRetention else { return nil }
            return max(idRetention ?? tweetRetention * 4, tweetRetention)
        }
    }

    let client: MongoClient
    let tweets: MongoCollection
    let recorded: MongoCollection
    let recording: MongoCollection
    let aggregates: MongoCollection
    let hourly: MongoCollection
    let hourlyPosts: MongoCollection
    let keywordTotals: MongoCollection
    let configuration: Configuration
    let logger: Logger

    /// Field names of the three collections.
    typealias TweetField = MongoSchema.Tweets
    typealias BucketField = MongoSchema.Aggregates
    typealias TotalField = MongoSchema.Keywords
    typealias RecordedField = MongoSchema.Recorded

    /// A store in `database`; call `prepare()` once before use.
    public init(database: MongoDatabase, configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "MongoSentimentStore")) {
        client = database.client
        tweets = database.collection(TweetField.collection)
        recorded = database.collection(RecordedField.collection)
        recording = database.collection(MongoSchema.Recording.collection)
        aggregates = database.collection(BucketField.collection)
        hourly = database.collection(MongoSchema.Hourly.collection)
        hourlyPosts = database.collection(MongoSchema.HourlyPosts.collection)
        keywordTotals = database.collection(TotalField.collection)
        self.configuration = configuration
        self.logger = logger
    }

    /// Creates the indexes (idempotent), including the optional TTL on `tweets`.
    public func prepare() async throws {
        // Every secondary index is paid on each insert, so `tweets` keeps one:
        // `extremes` filters by keyword and time through `keyword_time` and sorts the
        // range by compound, and the newest posts of all keywords are read through it
        // too (see `recentPosts`).
        var tweetIndexes = [IndexModel(keys: [TweetField.keywords: 1, TweetField.timestamp: -1],
                                       name: TweetField.keywordTimeIndex)]
        if configuration.changeFeed == .polling { tweetIndexes.append(Self.recordedAtIndex) }
        if let retention = configuration.tweetRetention {
            tweetIndexes.append(IndexModel(keys: [TweetField.receivedAt: 1], name: TweetField.retentionIndex,
                                           expireAfterSeconds: max(1, Int(retention.components.seconds))))
        }
        _ = try await tweets.createIndexes(tweetIndexes)
        if let expiry = configuration.recordedIDsExpireAfter {
            _ = try await recorded.createIndexes([
                IndexModel(keys: [RecordedField.recordedAt: 1], name: RecordedField.expiryIndex,
                           expireAfterSeconds: max(1, Int(expiry.components.seconds))),
            ])
        }
        _ = try await aggregates.createIndexes([
            IndexModel(keys: [BucketField.keyword: 1, BucketField.bucketStart: 1], name: BucketField.keywordBucketIndex,
                       unique: true),
        ])
        _ = try await hourly.createIndexes([
            IndexModel(keys: [BucketField.keyword: 1, BucketField.bucketStart: 1], name: MongoSchema.Hourly.keywordHourIndex,
                       unique: true),
        ])
        _ = try await hourlyPosts.createIndexes([
            IndexModel(keys: [BucketField.keyword: 1, BucketField.bucketStart: 1],
                       name: MongoSchema.HourlyPosts.keywordHourIndex, unique: true),
            IndexModel(keys: [BucketField.bucketStart: -1], name: MongoSchema.HourlyPosts.hourIndex),
        ])
    }

    public func record(_ posts: [ScoredPost]) async throws -> RecordOutcome {
        try await record(posts, alsoInTransaction: nil)
    }

    /// Something more to do inside the transaction that records a batch (acknowledging
    /// it in the queue: `MongoBatchRecorder`); it runs after the posts are counted, also
    /// when none of them is new, and aborts the transaction by throwing.
    typealias TransactionStep = @Sendable (MongoSession) async throws -> Void

    /// `record`, running `step` in the same transaction.
    func record(_ posts: [ScoredPost], alsoInTransaction step: TransactionStep?) async throws -> RecordOutcome {
        var seen = Set<String>()
        let unique = posts.filter { seen.insert($0.id).inserted }
        guard !unique.isEmpty || step != nil else { return RecordOutcome(inserted: 0, duplicates: 0) }
        // Announce the stamp before the transaction, withdraw it after: a polling feed
        // looks back to it while the commit is pending, however long that takes.
        let recordedAt = Date()
        let marker = try await announceRecording(stampedAt: recordedAt)
        do {
            let outcome = try await record(unique, of: posts.count, stampedAt: recordedAt, step: step)
            await withdrawRecording(marker)
            return outcome
        } catch {
            await withdrawRecording(marker)
            throw error
        }
    }

    /// Inserts the `recording` document of a `record` call stamping its posts `recordedAt`.
    private func announceRecording(stampedAt recordedAt: Date) async throws -> String {
        let id = UUID().uuidString
        try await recording.insertOne([MongoSchema.Recording.id: .string(id), MongoSchema.Recording.since: .date(recordedAt)])
        return id
    }

    /// Deletes it; if that fails the polling feed ignores it once older than `recordingExpiry`.
    private func withdrawRecording(_ id: String) async {
        do {
            _ = try await recording.deleteOne([MongoSchema.Recording.id: .string(id)])
        } catch {
            logger.warning("could not withdraw a recording marker", metadata: ["error": "\(error)"])
        }
    }

    /// `record` of distinct posts, `count` posts as given.
    private func record(_ unique: [ScoredPost], of count: Int, stampedAt recordedAt: Date,
                        step: TransactionStep?) async throws -> RecordOutcome {
        do {
            // Most batches are first deliveries: insert them all and count them all in
            // a few round trips. A duplicate key aborts the transaction (as in MongoDB,
            // any write error does) and the careful path below runs instead.
            let inserted = try await client.withTransaction { session -> Int in
                let inserted = unique.isEmpty ? 0 : try await self.insertAndCount(unique, recordedAt: recordedAt,
                                                                                  session: session)
                try await step?(session)
                return inserted
            }
            return RecordOutcome(inserted: inserted, duplicates: count - inserted)
        } catch is AlreadyStored {
            let inserted = try await client.withTransaction { session -> Int in
                let stored = try await self.recordedIDs(among: unique.map(\.id), session: session)
                let fresh = unique.filter { !stored.contains($0.id) }
                var inserted = 0
                if !fresh.isEmpty {
                    do {
                        inserted = try await self.insertAndCount(fresh, recordedAt: recordedAt, session: session)
                    } catch is AlreadyStored {
                        // Another consumer stored some of them since our read: start over.
                        throw MongoError(kind: .transient, message: "concurrent insert of the same posts",
                                         labels: ["TransientTransactionError"])
                    }
                }
                try await step?(session)
                return inserted
            }
            return RecordOutcome(inserted: inserted, duplicates: count - inserted)
        }
    }

    /// Some posts of a batch were already stored: the optimistic transaction was aborted.
    private struct AlreadyStored: Error {}

    /// Inserts `posts` (distinct ids) and adds them to their buckets, inside `session`'s
    /// transaction; throws `AlreadyStored` if any of them is recorded already.
    ///
    /// The buckets go first: they are the documents concurrent consumers share (every
    /// batch of a live stream touches its keywords' current minute), and a transaction
    /// that conflicts on one aborts at once — before, not after, inserting its posts —
    /// and is retried. The ids follow, before the posts: a redelivered batch aborts there,
    /// before the costlier insert of the posts.
    private func insertAndCount(_ posts: [ScoredPost], recordedAt: Date, session: MongoSession) async throws -> Int {
        let buckets = Aggregation.buckets(for: posts)
            .sorted { ($0.key.keyword, $0.key.bucketStart) < ($1.key.keyword, $1.key.bucketStart) }
        _ = try await aggregates.bulkWrite(buckets.map(\.value.upsert), ordered: false, session: session)
        let hours = HourlyRollup.rollups(for: posts)
        _ = try await hourly.bulkWrite(hours.map(\.sumsUpsert), ordered: false, session: session)
        _ = try await hourlyPosts.bulkWrite(hours.map(\.postsUpsert), ordered: false, session: session)
        _ = try await keywordTotals.bulkWrite(
            KeywordSummary.upserts(adding: buckets.map(\.value), slot: Int.random(in: 0..<Self.keywordTotalSlots)),
            ordered: false, session: session)
        if configuration.recordedIDsExpireAfter != nil {
            let ids = try await recorded.insertMany(posts.map { post in
                [RecordedField.id: .string(post.id), RecordedField.recordedAt: .date(recordedAt)]
            }, session: session)
            guard ids.duplicateIndices.isEmpty else { throw AlreadyStored() }
        }
        let result = try await tweets.insertMany(posts.map { post in
            var document = post.document
            document.append(TweetField.recordedAt, .date(recordedAt))  // what the polling change feed follows
            return document
        }, session: session)
        // A redelivered post: the whole transaction, buckets included, is undone.
        guard result.duplicateIndices.isEmpty else { throw AlreadyStored() }
        return posts.count
    }

    /// The ids of `ids` counted already: in `recorded`, or (should its TTL ever run ahead
    /// of `tweets`' for a post received after it was recorded) still in `tweets`. Read in
    /// slices of 100 (some servers, the Python test server among them, match long `$in`
    /// lists in time quadratic in their length). Only redelivered batches pay for this.
    private func recordedIDs(among ids: [String], session: MongoSession) async throws -> Set<String> {
        var stored = Set<String>()
        for collection in [recorded, tweets] {
            for start in stride(from: 0, to: ids.count, by: 100) {
                let slice = ids[start..<min(ids.count, start + 100)].filter { !stored.contains($0) }
                guard !slice.isEmpty else { continue }
                let found = try await collection.find([TweetField.id: ["$in": .array(slice.map { .string($0) })]],
                                                      options: FindOptions(projection: [TweetField.id: 1]),
                                                      session: session)
                for document in found { if let id = document[TweetField.id]?.stringValue { stored.insert(id) } }
            }
        }
        return stored
    }

    /// Documents each keyword's total is spread over (see the type's notes).
    static let keywordTotalSlots = 8

    public func keywords() async throws -> [KeywordSummary] {
        var totals: [String: KeywordSummary] = [:]
        for document in try await keywordTotals.find([:]) {
            guard let keyword = document[TotalField.keyword]?.stringValue else { continue }
            var lastSeen: Date?
            if case .date(let value)? = document[TotalField.lastSeen] { lastSeen = value }
            var total = totals[keyword] ?? KeywordSummary(keyword: keyword, totalCount: 0, lastSeen: nil)
            total.totalCount += document[TotalField.count]?.intValue ?? 0
            total.lastSeen = [total.lastSeen, lastSeen].compactMap { $0 }.max()
            totals[keyword] = total
        }
        return totals.values.sorted { $0.keyword < $1.keyword }
    }

    public func post(id: String) async throws -> ScoredPost? {
        try await tweets.findOne([TweetField.id: .string(id)]).map(ScoredPost.init(document:))
    }

    public func changes() async throws -> AsyncThrowingStream<StoreChange, Error> {
        if configuration.changeFeed == .polling { return try await pollingChanges() }
        // Both cursors exist before this returns, so every later record is seen.
        let postStream: ChangeStream
        do {
            postStream = try await tweets.watch([["$match": ["operationType": "insert"]]])
        } catch let error as MongoError where Self.meansNoChangeStreams(error) {
            logger.warning("no change streams on this server; polling for changes",
                           metadata: ["error": "\(error)", "interval": "\(configuration.pollInterval)"])
            _ = try await tweets.createIndexes([Self.recordedAtIndex])
            return try await pollingChanges()
        }
        let bucketStream = try await aggregates.watch([], options: ChangeStreamOptions(fullDocumentOnUpdate: true))
        let (stream, continuation) = AsyncThrowingStream.makeStream(
            of: StoreChange.self, bufferingPolicy: .bufferingNewest(configuration.changeBuffer))
        let logger = logger
        let task = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await event in postStream {
                            guard let document = event.fullDocument else { continue }
                            continuation.yield(.posts([try ScoredPost(document: document)]))
                        }
                    } catch {
                        logger.warning("tweets change stream ended", metadata: ["error": "\(error)"])
                    }
                    await postStream.close()
                }
                group.addTask {
                    do {
                        for try await event in bucketStream {
                            guard let document = event.fullDocument else { continue }
                            continuation.yield(.aggregates([try KeywordAggregate(document: document)]))
                        }
                    } catch {
                        logger.warning("aggregates change stream ended", metadata: ["error": "\(error)"])
                    }
                    await bucketStream.close()
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    public func ping() async throws {
        try await client.ping()
    }
}
