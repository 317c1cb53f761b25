import Foundation
import Logging
import MongoKit
import PipelineCore

/// The `SentimentStore` on MongoDB: `tweets` (one document per post, `_id` = post id)
/// and `aggregates` (one document per keyword per minute bucket).
///
/// `record` runs in one multi-document transaction — find which ids are stored, insert
/// the new posts, `$inc` their buckets — so a post is counted exactly when it is stored,
/// once, even with concurrent consumers or a crash at any point (the transaction commits
/// whole or not at all). Transactions need a replica set (a single node is enough).
/// Transient transaction errors (write conflicts between consumers) are retried.
///
/// The change feed uses change streams on both collections.
public struct MongoSentimentStore: SentimentStore {
    /// Options of the store.
    public struct Configuration: Sendable {
        /// Delete posts this long after they were received (aggregates are kept); nil keeps them.
        public var tweetRetention: Duration?
        /// Changes buffered per change-feed subscriber before the oldest is dropped.
        public var changeBuffer: Int

        public init(tweetRetention: Duration? = nil, changeBuffer: Int = 1024) {
            self.tweetRetention = tweetRetention
            self.changeBuffer = changeBuffer
        }
    }

    private let client: MongoClient
    private let tweets: MongoCollection
    private let aggregates: MongoCollection
    private let configuration: Configuration
    private let logger: Logger

    /// A store in `database`; call `prepare()` once before use.
    public init(database: MongoDatabase, configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "MongoSentimentStore")) {
        client = database.client
        tweets = database.collection("tweets")
        aggregates = database.collection("aggregates")
        self.configuration = configuration
        self.logger = logger
    }

    /// Creates the indexes (idempotent), including the optional TTL on `tweets`.
    public func prepare() async throws {
        var tweetIndexes = [
            IndexModel(keys: ["keywords": 1, "timestamp": -1], name: "keyword_time"),
            IndexModel(keys: ["keywords": 1, "compound": -1], name: "keyword_compound"),
            IndexModel(keys: ["timestamp": -1], name: "time"),
        ]
        if let retention = configuration.tweetRetention {
            tweetIndexes.append(IndexModel(keys: ["receivedAt": 1], name: "retention",
                                           expireAfterSeconds: max(1, Int(retention.components.seconds))))
        }
        _ = try await tweets.createIndexes(tweetIndexes)
        _ = try await aggregates.createIndexes([
            IndexModel(keys: ["keyword": 1, "bucketStart": 1], name: "keyword_bucket", unique: true),
        ])
    }

    public func record(_ posts: [ScoredPost]) async throws -> RecordOutcome {
        guard !posts.isEmpty else { return RecordOutcome(inserted: 0, duplicates: 0) }
        let tweets = tweets
        let aggregates = aggregates
        let inserted = try await client.withTransaction { session -> Int in
            let ids = Array(Set(posts.map(\.id)))
            let stored = try await tweets.find(["_id": ["$in": .array(ids.map { .string($0) })]],
                                               options: FindOptions(projection: ["_id": 1]), session: session)
            var seen = Set(stored.compactMap { $0["_id"]?.stringValue })
            let fresh = posts.filter { seen.insert($0.id).inserted }
            guard !fresh.isEmpty else { return 0 }
            let result = try await tweets.insertMany(fresh.map(\.document), session: session)
            if !result.duplicateIndices.isEmpty {
                // Another consumer stored some of them since our read: start over.
                throw MongoError(kind: .transient, message: "concurrent insert of the same posts",
                                 labels: ["TransientTransactionError"])
            }
            let buckets = Aggregation.buckets(for: fresh)
            _ = try await aggregates.bulkWrite(buckets.values.map(\.upsert), ordered: false, session: session)
            return fresh.count
        }
        return RecordOutcome(inserted: inserted, duplicates: posts.count - inserted)
    }

    public func keywords() async throws -> [KeywordSummary] {
        try await aggregates.aggregate([
            ["$group": ["_id": "$keyword", "total": ["$sum": "$count"], "lastSeen": ["$max": "$lastSeen"]]],
            ["$sort": ["_id": 1]],
        ]).compactMap { document in
            guard let keyword = document["_id"]?.stringValue else { return nil }
            var lastSeen: Date?
            if case .date(let value)? = document["lastSeen"] { lastSeen = value }
            return KeywordSummary(keyword: keyword, totalCount: document["total"]?.intValue ?? 0, lastSeen: lastSeen)
        }
    }

    public func series(keyword: String, in range: DateInterval,
                       resolution: BucketResolution) async throws -> [KeywordAggregate] {
        let documents = try await aggregates.find([
            "keyword": .string(keyword),
            "bucketStart": ["$gte": .date(range.start), "$lte": .date(range.end)],
        ])
        return Aggregation.rollUp(try documents.map(KeywordAggregate.init(document:)), to: resolution)
    }

    public func extremes(keyword: String, in range: DateInterval, limit: Int) async throws -> KeywordExtremes {
        guard limit > 0 else { return KeywordExtremes(mostPositive: [], mostNegative: []) }
        let filter: BSONDocument = [
            "keywords": .string(keyword),
            "timestamp": ["$gte": .date(range.start), "$lte": .date(range.end)],
        ]
        let positive = try await tweets.find(filter, options: FindOptions(sort: ["compound": -1, "_id": 1], limit: limit))
        let negative = try await tweets.find(filter, options: FindOptions(sort: ["compound": 1, "_id": 1], limit: limit))
        return KeywordExtremes(mostPositive: try positive.map(ScoredPost.init(document:)),
                               mostNegative: try negative.map(ScoredPost.init(document:)))
    }

    public func recentPosts(keyword: String?, limit: Int) async throws -> [ScoredPost] {
        guard limit > 0 else { return [] }
        let filter: BSONDocument = keyword.map { ["keywords": .string($0)] } ?? [:]
        return try await tweets.find(filter, options: FindOptions(sort: ["timestamp": -1, "_id": -1], limit: limit))
            .map(ScoredPost.init(document:))
    }

    public func post(id: String) async throws -> ScoredPost? {
        try await tweets.findOne(["_id": .string(id)]).map(ScoredPost.init(document:))
    }

    public func changes() async throws -> AsyncThrowingStream<StoreChange, Error> {
        // Both cursors exist before this returns, so every later record is seen.
        let postStream = try await tweets.watch([["$match": ["operationType": "insert"]]])
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
