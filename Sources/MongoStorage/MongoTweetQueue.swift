import Foundation
import Logging
import MongoKit
import PipelineModel
import Storage
import Synchronization

/// The durable `TweetQueue` on MongoDB: each queued batch is one `inboxPosts` document
/// holding its posts and one `inboxBatches` document holding its lease (same `_id`), dead
/// letters in `deadLetters`.
///
/// Writing a post costs a share of one document insert instead of one insert, one index
/// entry and one delete of its own: `enqueue` cuts its posts into batches of at most
/// `postsPerBatch` and writes each as its two documents, in one small transaction. A claim
/// leases the oldest claimable batch with one `findOneAndUpdate` (fresh token, expiry,
/// delivery count), then reads its posts by `_id`. Acknowledging deletes both documents,
/// conditioned on the lease still carrying the claim's token — on its own, or inside the
/// transaction that records the batch (`MongoBatchRecorder`), so a batch is never recorded
/// and still queued.
///
/// The queue does not keep one document per post, so it cannot refuse a post queued
/// twice by looking it up: it remembers the ids it queued lately (`recentIDs`, in this
/// process) and drops repeats of those — the stream's duplicates — and the store's
/// exactly-once by post id covers the rest.
///
/// A claim smaller than a batch, or an acknowledgement or release of part of one, splits
/// the batch in a transaction: the part leaves as a batch of its own. Acknowledge and
/// release act only on batches still carrying the lease's token, so a stale lease changes
/// nothing.
///
/// "Now" comes from the injected clock (the consumer host's clock in production): keep
/// hosts NTP-synchronised; leases of a minute tolerate seconds of skew.
public struct MongoTweetQueue: DeadLetterQueue {
    /// Limits of the queue.
    public struct Configuration: Sendable {
        /// Failed attempts after which a post is dead-lettered.
        public var maxFailures: Int
        /// Posts per batch document; claims of at least this many never split a batch.
        public var postsPerBatch: Int
        /// Ids of queued posts this process remembers to drop repeats of.
        public var recentIDs: Int

        public init(maxFailures: Int = 5, postsPerBatch: Int = 500, recentIDs: Int = 200_000) {
            precondition(maxFailures > 0 && postsPerBatch > 0 && recentIDs >= 0)
            self.maxFailures = maxFailures
            self.postsPerBatch = postsPerBatch
            self.recentIDs = recentIDs
        }
    }

    let client: MongoClient
    let posts: MongoCollection
    let batches: MongoCollection
    let deadLetterCollection: MongoCollection
    let configuration: Configuration
    let now: @Sendable () -> Date
    let logger: Logger
    private let recent: RecentEnqueues

    /// Field names of the three collections.
    typealias PostsField = MongoSchema.InboxPosts
    typealias BatchField = MongoSchema.InboxBatches
    typealias LetterField = MongoSchema.DeadLetters

    /// Encoded posts per batch document at most: far below MongoDB's 16 MB document limit
    /// however long each post is.
    static let maxBatchBytes = 8 * 1024 * 1024

    /// A queue in `database`; call `prepare()` once before use.
    public init(database: MongoDatabase, configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "MongoTweetQueue"),
                now: @escaping @Sendable () -> Date = { Date() }) {
        client = database.client
        posts = database.collection(PostsField.collection)
        batches = database.collection(BatchField.collection)
        deadLetterCollection = database.collection(LetterField.collection)
        self.configuration = configuration
        self.logger = logger
        self.now = now
        recent = RecentEnqueues(limit: configuration.recentIDs)
    }

    /// Creates the indexes (idempotent).
    public func prepare() async throws {
        _ = try await batches.createIndexes([
            IndexModel(keys: [BatchField.leaseExpiresAt: 1, BatchField.enqueuedAt: 1], name: BatchField.claimableIndex),
        ])
        _ = try await deadLetterCollection.createIndexes([
            IndexModel(keys: [LetterField.deadLetteredAt: -1], name: LetterField.deadLetteredAtIndex),
        ])
    }

    // MARK: - Enqueue

    public func enqueue(_ posts: [Post]) async throws -> EnqueueOutcome {
        guard !posts.isEmpty else { return EnqueueOutcome(accepted: 0, duplicates: 0) }
        var seen = Set<String>()
        let fresh = recent.fresh(posts.filter { seen.insert($0.id).inserted })
        guard !fresh.isEmpty else { return EnqueueOutcome(accepted: 0, duplicates: posts.count) }
        let time = now()
        let encoder = BSONEncoder()
        var postDocuments: [BSONDocument] = []
        var leaseDocuments: [BSONDocument] = []
        var chunk: [BSONValue] = []
        var chunkBytes = 0
        func close() {
            guard !chunk.isEmpty else { return }
            let id = UUID().uuidString
            postDocuments.append([PostsField.id: .string(id), PostsField.posts: .array(chunk),
                                  PostsField.enqueuedAt: .date(time)])
            leaseDocuments.append(InboxBatch.document(id: id, count: chunk.count, enqueuedAt: time,
                                                      leaseExpiresAt: InboxBatch.waiting, token: "",
                                                      deliveries: 0, failures: 0))
            chunk = []
            chunkBytes = 0
        }
        for post in fresh {
            let document = try encoder.encode(post)
            if chunk.count == configuration.postsPerBatch || chunkBytes + document.byteCount > Self.maxBatchBytes {
                close()
            }
            chunk.append(.document(document))
            chunkBytes += document.byteCount
        }
        close()
        try await client.withTransaction { session in
            _ = try await self.posts.insertMany(postDocuments, session: session)
            _ = try await self.batches.insertMany(leaseDocuments, session: session)
        }
        recent.remember(fresh)
        return EnqueueOutcome(accepted: fresh.count, duplicates: posts.count - fresh.count)
    }
}

/// The ids a queue enqueued lately, shared by copies of the queue value.
final class RecentEnqueues: Sendable {
    private let ids: Mutex<RecentPostIDs>

    init(limit: Int) {
        ids = Mutex(RecentPostIDs(limit: limit))
    }

    /// `posts` without those enqueued lately.
    func fresh(_ posts: [Post]) -> [Post] {
        ids.withLock { ids in posts.filter { !ids.contains($0.id) } }
    }

    /// Notes `posts` as enqueued (only once they are: a failed enqueue is retried).
    func remember(_ posts: [Post]) {
        ids.withLock { ids in for post in posts { ids.insert(post.id) } }
    }
}

extension Date {
    /// This time plus `duration`.
    func adding(_ duration: Duration) -> Date {
        addingTimeInterval(duration.inSeconds)
    }
}
