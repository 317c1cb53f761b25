import Foundation
import Logging
import MongoKit
import PipelineModel
import Storage

/// The durable `TweetQueue` on MongoDB: posts in `inbox` (one document per post, `_id` =
/// post id), their leases in `inboxBatches`, dead letters in `deadLetters`.
///
/// An inbox document is `{_id, post, batch, enqueuedAt}`. `enqueue` cuts its posts into
/// batches of at most `postsPerBatch` and writes, in three round trips, the batch
/// documents (held, not yet claimable), the posts (unordered: a post already queued is
/// rejected by the unique `_id` and counted as a duplicate), then opens the batches with
/// their true counts. A claim reads the oldest claimable batches, stamps a fresh lease
/// token on them in one `updateMany` conditioned on their still being claimable (two
/// workers cannot both win one), and reads their posts through the `batch` index. An
/// acknowledgement deletes the posts of fully processed batches by batch, then the batch
/// documents — so no write ever touches one post document at a time except to delete it.
///
/// A claim smaller than a batch, or an acknowledgement or release of part of one, splits
/// the batch: a new batch document (held by the same lease) first, then the posts re-tagged,
/// then the old batch's count — every post always points at an existing batch, and a
/// crash between steps leaves batches that simply come back when the lease expires.
/// Acknowledge and release act only on batches still carrying the lease's token, so a
/// stale lease changes nothing. A batch claimed with no posts left (a crash after its
/// posts were deleted) is removed.
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
        /// How long a batch stays unclaimable while `enqueue` fills it (if the enqueuer
        /// dies in between, the posts it did write become claimable after this).
        public var fillTimeout: Duration

        public init(maxFailures: Int = 5, postsPerBatch: Int = 100, fillTimeout: Duration = .seconds(60)) {
            precondition(maxFailures > 0 && postsPerBatch > 0)
            self.maxFailures = maxFailures
            self.postsPerBatch = postsPerBatch
            self.fillTimeout = fillTimeout
        }
    }

    let inbox: MongoCollection
    let batches: MongoCollection
    let deadLetterCollection: MongoCollection
    let configuration: Configuration
    let now: @Sendable () -> Date
    let logger: Logger

    /// Field names of the three collections.
    typealias InboxField = MongoSchema.Inbox
    typealias BatchField = MongoSchema.InboxBatches
    typealias LetterField = MongoSchema.DeadLetters

    /// Batches considered per claim (each holds at least one post).
    static let candidatesPerClaim = 100

    /// A queue in `database`; call `prepare()` once before use.
    public init(database: MongoDatabase, configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "MongoTweetQueue"),
                now: @escaping @Sendable () -> Date = { Date() }) {
        inbox = database.collection(InboxField.collection)
        batches = database.collection(BatchField.collection)
        deadLetterCollection = database.collection(LetterField.collection)
        self.configuration = configuration
        self.logger = logger
        self.now = now
    }

    /// Creates the indexes (idempotent).
    public func prepare() async throws {
        _ = try await inbox.createIndexes([IndexModel(keys: [InboxField.batch: 1], name: InboxField.batchIndex)])
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
        let unique = posts.filter { seen.insert($0.id).inserted }
        let time = now()
        let chunks = stride(from: 0, to: unique.count, by: configuration.postsPerBatch).map {
            unique[$0..<min(unique.count, $0 + configuration.postsPerBatch)]
        }
        let ids = chunks.map { _ in UUID().uuidString }
        _ = try await batches.insertMany(zip(ids, chunks).map { id, chunk in
            InboxBatch.document(id: id, count: chunk.count, enqueuedAt: time, heldUntil: time.adding(configuration.fillTimeout),
                                token: "", deliveries: 0, failures: 0)
        })
        let encoder = BSONEncoder()
        var documents: [BSONDocument] = []
        documents.reserveCapacity(unique.count)
        for (id, chunk) in zip(ids, chunks) {
            for post in chunk {
                documents.append([InboxField.id: .string(post.id), InboxField.post: .document(try encoder.encode(post)),
                                  InboxField.batch: .string(id), InboxField.enqueuedAt: .date(time)])
            }
        }
        let result = try await inbox.insertMany(documents)
        // Open the batches: with their true counts where some posts were already queued,
        // and gone where all were.
        var rejected = [Int](repeating: 0, count: chunks.count)
        for index in result.duplicateIndices { rejected[index / configuration.postsPerBatch] += 1 }
        var complete: [BSONValue] = []
        var opening: [WriteModel] = []
        for (position, (id, chunk)) in zip(ids, chunks).enumerated() {
            let accepted = chunk.count - rejected[position]
            if accepted == 0 {
                opening.append(.deleteOne(filter: [BatchField.id: .string(id)]))
            } else if accepted == chunk.count {
                complete.append(.string(id))
            } else {
                opening.append(.updateOne(filter: [BatchField.id: .string(id)],
                                          update: ["$set": [BatchField.leaseExpiresAt: .date(InboxBatch.waiting),
                                                            BatchField.count: .int(accepted)]]))
            }
        }
        if !complete.isEmpty {
            opening.append(.updateMany(filter: [BatchField.id: ["$in": .array(complete)]],
                                       update: ["$set": [BatchField.leaseExpiresAt: .date(InboxBatch.waiting)]]))
        }
        _ = try await batches.bulkWrite(opening, ordered: false)
        return EnqueueOutcome(accepted: result.insertedCount,
                              duplicates: posts.count - unique.count + result.duplicateIndices.count)
    }
}

extension Date {
    /// This time plus `duration`.
    func adding(_ duration: Duration) -> Date {
        addingTimeInterval(duration.inSeconds)
    }
}
