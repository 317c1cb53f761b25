import Foundation
import Logging
import MongoKit
import PipelineCore

/// The durable `TweetQueue` on MongoDB: collection `inbox` keyed by post id, dead
/// letters in `deadLetters`.
///
/// An inbox document is `{_id, post, enqueuedAt, leaseExpiresAt, leaseToken, deliveries,
/// failures, lastFailure}`. A waiting post has `leaseExpiresAt` at the epoch; a post is
/// claimable when `leaseExpiresAt <= now`, so an expired lease is claimable again with no
/// sweeper. A claim reads the oldest claimable documents, stamps them with a fresh token
/// in one bulk of `updateMany`s conditioned on still being claimable (two workers cannot
/// both win a document), and reads back by token only if another worker won some of
/// them. Acknowledge is one bulk of `deleteMany`s; acknowledge and release match on id
/// *and* token, so a stale lease changes nothing. Every operation costs a constant number
/// of round trips per batch, never one per post.
///
/// `$in` lists are split into operations of `idsPerOperation` ids inside one bulk call:
/// one round trip either way, and some servers (the Python test server) match long
/// `$in` lists in time quadratic in their length.
///
/// "Now" comes from the injected clock (the consumer host's clock in production): keep
/// hosts NTP-synchronised; leases of a minute tolerate seconds of skew.
public struct MongoTweetQueue: DeadLetterQueue {
    /// Limits of the queue.
    public struct Configuration: Sendable {
        /// Failed attempts after which a post is dead-lettered.
        public var maxFailures: Int

        public init(maxFailures: Int = 5) {
            precondition(maxFailures > 0)
            self.maxFailures = maxFailures
        }
    }

    private let inbox: MongoCollection
    private let deadLetterCollection: MongoCollection
    private let configuration: Configuration
    private let now: @Sendable () -> Date
    private let logger: Logger
    private static let waiting = Date(timeIntervalSince1970: 0)

    /// A queue in `database`; call `prepare()` once before use.
    public init(database: MongoDatabase, configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "MongoTweetQueue"),
                now: @escaping @Sendable () -> Date = { Date() }) {
        inbox = database.collection("inbox")
        deadLetterCollection = database.collection("deadLetters")
        self.configuration = configuration
        self.logger = logger
        self.now = now
    }

    /// Creates the indexes (idempotent).
    public func prepare() async throws {
        _ = try await inbox.createIndexes([
            IndexModel(keys: ["leaseExpiresAt": 1, "enqueuedAt": 1], name: "claimable"),
        ])
        _ = try await deadLetterCollection.createIndexes([
            IndexModel(keys: ["deadLetteredAt": -1], name: "deadLetteredAt"),
        ])
    }

    public func enqueue(_ posts: [Post]) async throws -> EnqueueOutcome {
        guard !posts.isEmpty else { return EnqueueOutcome(accepted: 0, duplicates: 0) }
        let encoder = BSONEncoder()
        let time = now()
        let documents = try posts.map { post -> BSONDocument in
            [
                "_id": .string(post.id), "post": .document(try encoder.encode(post)), "enqueuedAt": .date(time),
                "leaseExpiresAt": .date(Self.waiting), "leaseToken": "", "deliveries": .int(0), "failures": .int(0),
            ]
        }
        let result = try await inbox.insertMany(documents)
        return EnqueueOutcome(accepted: result.insertedCount, duplicates: result.duplicateIndices.count)
    }

    public func claim(limit: Int, lease: Duration, worker: String) async throws -> [QueueLease] {
        guard limit > 0 else { return [] }
        // Workers claiming at the same moment read the same oldest candidates and one of
        // them wins them all; the loser tries again past them instead of reporting an
        // empty queue (which would send it into idle backoff while posts wait).
        while true {
            let (leases, candidates) = try await claimOnce(limit: limit, lease: lease, worker: worker)
            if !leases.isEmpty || candidates == 0 { return leases }
        }
    }

    /// One claim attempt: the leases won and how many candidates there were.
    private func claimOnce(limit: Int, lease: Duration, worker: String) async throws -> ([QueueLease], Int) {
        let time = now()
        let claimable: BSONDocument = ["leaseExpiresAt": ["$lte": .date(time)]]
        let candidates = try await inbox.find(claimable, options: FindOptions(
            sort: ["leaseExpiresAt": 1, "enqueuedAt": 1], limit: limit))
        guard !candidates.isEmpty else { return ([], 0) }
        let token = UUID().uuidString
        let expiresAt = time.addingTimeInterval(Double(lease.components.seconds)
                                                + Double(lease.components.attoseconds) / 1e18)
        let stamp: BSONDocument = ["$set": ["leaseToken": .string(token), "leaseExpiresAt": .date(expiresAt),
                                            "worker": .string(worker)],
                                   "$inc": ["deliveries": 1]]
        let ids = candidates.compactMap { $0["_id"] }
        let won = try await inbox.bulkWrite(Self.chunked(ids).map { chunk in
            .updateMany(filter: ["_id": ["$in": .array(chunk)], "leaseExpiresAt": ["$lte": .date(time)]],
                        update: stamp)
        }, ordered: false)
        // Uncontended (the usual case) every candidate is ours and already in hand, with
        // `deliveries` one behind; otherwise read back exactly what carries our token.
        let documents: [BSONDocument]
        let advance: Int
        if won.modifiedCount == ids.count {
            documents = candidates
            advance = 1
        } else {
            // Served by the `claimable` index: no index on the token to maintain per claim.
            documents = try await inbox.find(["leaseExpiresAt": .date(expiresAt), "leaseToken": .string(token)])
            advance = 0
        }
        let decoder = BSONDecoder()
        let leases = try documents.map { document in
            guard let post = document["post"]?.documentValue else {
                throw MongoError(kind: .decoding, message: "inbox document without post")
            }
            return QueueLease(post: try decoder.decode(Post.self, from: post),
                              attempt: (document["deliveries"]?.intValue ?? 0) + advance, token: token,
                              expiresAt: expiresAt)
        }
        return (leases, candidates.count)
    }

    public func acknowledge(_ leases: [QueueLease]) async throws {
        let deletions = Self.byToken(leases).flatMap { token, ids in
            Self.chunked(ids).map { chunk -> WriteModel in
                .deleteMany(filter: ["_id": ["$in": .array(chunk)], "leaseToken": .string(token)])
            }
        }
        guard !deletions.isEmpty else { return }
        _ = try await inbox.bulkWrite(deletions, ordered: false)
    }

    public func release(_ leases: [QueueLease], failure: String?) async throws {
        let time = now()
        for (token, ids) in Self.byToken(leases) {
            let mine = Self.chunked(ids).map { chunk -> BSONDocument in
                ["_id": ["$in": .array(chunk)], "leaseToken": .string(token)]
            }
            if let failure {
                // Count the failure while the lease is still ours, then move the posts
                // over the limit out; a crash in between only leaves them leased until
                // the lease expires.
                _ = try await inbox.bulkWrite(mine.map { filter in
                    .updateMany(filter: filter, update: ["$inc": ["failures": 1],
                                                         "$set": ["lastFailure": .string(failure)]])
                }, ordered: false)
                let over: BSONDocument = ["_id": ["$in": .array(ids)], "leaseToken": .string(token),
                                          "failures": ["$gte": .int(configuration.maxFailures)]]
                let dead = try await inbox.find(over)
                if !dead.isEmpty {
                    let letters = dead.compactMap { document -> WriteModel? in
                        guard let id = document["_id"], let post = document["post"] else { return nil }
                        return .replaceOne(filter: ["_id": id], replacement: [
                            "_id": id, "post": post, "reason": .string(failure),
                            "failures": .int(document["failures"]?.intValue ?? configuration.maxFailures),
                            "deadLetteredAt": .date(time)], upsert: true)
                    }
                    _ = try await deadLetterCollection.bulkWrite(letters, ordered: false)
                    _ = try await inbox.deleteMany(over)
                }
            }
            _ = try await inbox.bulkWrite(mine.map { filter in
                .updateMany(filter: filter, update: ["$set": ["leaseToken": "", "leaseExpiresAt": .date(Self.waiting)]])
            }, ordered: false)
        }
    }

    public func stats() async throws -> QueueStats {
        let time = now()
        let claimable: BSONDocument = ["leaseExpiresAt": ["$lte": .date(time)]]
        let pending = try await inbox.count(claimable)
        let leased = try await inbox.count(["leaseExpiresAt": ["$gt": .date(time)]])
        let dead = try await deadLetterCollection.count()
        let oldest = try await inbox.findOne(claimable, sort: ["enqueuedAt": 1])
        var age: Double?
        if case .date(let enqueuedAt)? = oldest?["enqueuedAt"] { age = max(0, time.timeIntervalSince(enqueuedAt)) }
        return QueueStats(pending: pending, leased: leased, deadLettered: dead, oldestPendingAge: age)
    }

    public func deadLetters(limit: Int) async throws -> [DeadLetter] {
        guard limit > 0 else { return [] }
        let decoder = BSONDecoder()
        return try await deadLetterCollection.find([:], options: FindOptions(sort: ["deadLetteredAt": -1],
                                                                              limit: limit))
            .map { document in
                guard let post = document["post"]?.documentValue, case .date(let at)? = document["deadLetteredAt"] else {
                    throw MongoError(kind: .decoding, message: "malformed dead letter")
                }
                return DeadLetter(post: try decoder.decode(Post.self, from: post),
                                  reason: document["reason"]?.stringValue ?? "",
                                  failures: document["failures"]?.intValue ?? 0, deadLetteredAt: at)
            }
    }

    private static func byToken(_ leases: [QueueLease]) -> [String: [BSONValue]] {
        Dictionary(grouping: leases, by: \.token).mapValues { $0.map { .string($0.post.id) } }
    }

    /// Ids per `$in` operation of a bulk call.
    static let idsPerOperation = 32

    private static func chunked(_ ids: [BSONValue]) -> [[BSONValue]] {
        stride(from: 0, to: ids.count, by: idsPerOperation).map {
            Array(ids[$0..<min(ids.count, $0 + idsPerOperation)])
        }
    }
}
