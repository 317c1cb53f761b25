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

    private let inbox: MongoCollection
    private let batches: MongoCollection
    private let deadLetterCollection: MongoCollection
    private let configuration: Configuration
    private let now: @Sendable () -> Date
    private let logger: Logger

    /// Batches considered per claim (each holds at least one post).
    private static let candidatesPerClaim = 100

    /// A queue in `database`; call `prepare()` once before use.
    public init(database: MongoDatabase, configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "MongoTweetQueue"),
                now: @escaping @Sendable () -> Date = { Date() }) {
        inbox = database.collection("inbox")
        batches = database.collection("inboxBatches")
        deadLetterCollection = database.collection("deadLetters")
        self.configuration = configuration
        self.logger = logger
        self.now = now
    }

    /// Creates the indexes (idempotent) and adopts inbox posts that have no batch (queued
    /// by an earlier version of this queue) into one waiting batch.
    public func prepare() async throws {
        _ = try await inbox.createIndexes([IndexModel(keys: ["batch": 1], name: "batch")])
        _ = try await batches.createIndexes([
            IndexModel(keys: ["leaseExpiresAt": 1, "enqueuedAt": 1], name: "claimable"),
        ])
        _ = try await deadLetterCollection.createIndexes([
            IndexModel(keys: ["deadLetteredAt": -1], name: "deadLetteredAt"),
        ])
        try await adoptUnbatchedPosts()
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
                documents.append(["_id": .string(post.id), "post": .document(try encoder.encode(post)),
                                  "batch": .string(id), "enqueuedAt": .date(time)])
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
                opening.append(.deleteOne(filter: ["_id": .string(id)]))
            } else if accepted == chunk.count {
                complete.append(.string(id))
            } else {
                opening.append(.updateOne(filter: ["_id": .string(id)],
                                          update: ["$set": ["leaseExpiresAt": .date(InboxBatch.waiting),
                                                            "count": .int(accepted)]]))
            }
        }
        if !complete.isEmpty {
            opening.append(.updateMany(filter: ["_id": ["$in": .array(complete)]],
                                       update: ["$set": ["leaseExpiresAt": .date(InboxBatch.waiting)]]))
        }
        _ = try await batches.bulkWrite(opening, ordered: false)
        return EnqueueOutcome(accepted: result.insertedCount,
                              duplicates: posts.count - unique.count + result.duplicateIndices.count)
    }

    // MARK: - Claim

    public func claim(limit: Int, lease: Duration, worker: String) async throws -> [QueueLease] {
        guard limit > 0 else { return [] }
        // Workers claiming at the same moment read the same oldest candidates and one of
        // them wins them; the loser tries again past them instead of reporting an empty
        // queue (which would send it into idle backoff while posts wait). A few tries
        // only: with many workers, an empty answer and the idle backoff are fine.
        for _ in 1..<4 {
            let (leases, candidates) = try await claimOnce(limit: limit, lease: lease, worker: worker)
            if !leases.isEmpty || candidates == 0 { return leases }
        }
        return try await claimOnce(limit: limit, lease: lease, worker: worker).0
    }

    /// One claim attempt: the leases won and how many candidate batches there were.
    private func claimOnce(limit: Int, lease: Duration, worker: String) async throws -> ([QueueLease], Int) {
        let time = now()
        let candidates = try await batches.find(InboxBatch.self, ["leaseExpiresAt": ["$lte": .date(time)]],
                                                options: FindOptions(sort: ["leaseExpiresAt": 1, "enqueuedAt": 1],
                                                                     limit: min(limit, Self.candidatesPerClaim)))
        guard !candidates.isEmpty else { return ([], 0) }
        // Whole batches while they fit; the first one even if it alone is too big (split below).
        var chosen: [InboxBatch] = []
        var total = 0
        for candidate in candidates {
            if !chosen.isEmpty && total + candidate.count > limit { break }
            chosen.append(candidate)
            total += candidate.count
        }
        let token = UUID().uuidString
        let expiresAt = time.adding(lease)
        let chosenIDs = chosen.map { BSONValue.string($0.id) }
        let stamp = try await batches.updateMany(
            filter: ["_id": ["$in": .array(chosenIDs)], "leaseExpiresAt": ["$lte": .date(time)]],
            update: ["$set": ["leaseToken": .string(token), "leaseExpiresAt": .date(expiresAt), "worker": .string(worker)],
                     "$inc": ["deliveries": 1]])
        var won: [InboxBatch]
        if stamp.modifiedCount == chosen.count {
            // Uncontended (the usual case): every candidate is ours and already in hand.
            won = chosen.map { var batch = $0; batch.deliveries += 1; batch.leaseToken = token; return batch }
        } else {
            won = try await batches.find(InboxBatch.self, ["_id": ["$in": .array(chosenIDs)], "leaseToken": .string(token)])
        }
        guard !won.isEmpty else { return ([], candidates.count) }

        let decoder = BSONDecoder()
        if won.count == 1, won[0].count > limit {
            // One batch larger than the claim: take `limit` of its posts into a batch of their own.
            var batch = won[0]
            let documents = try await inbox.find(["batch": .string(batch.id)], options: FindOptions(limit: limit + 1))
            if documents.count > limit {
                let taken = Array(documents.prefix(limit))
                let part = try await split(taken.compactMap { $0["_id"] }, from: batch, token: token, heldUntil: expiresAt,
                                           deliveries: batch.deliveries, failures: batch.failures)
                // The rest of the batch goes back in line as it was.
                _ = try await batches.updateOne(filter: ["_id": .string(batch.id), "leaseToken": .string(token)], update: [
                    "$set": ["leaseExpiresAt": .date(InboxBatch.waiting), "leaseToken": ""],
                    "$inc": ["deliveries": -1, "count": .int(-part.moved)]])
                batch.id = part.id
                return (try Self.leases(taken, batch: batch, token: token, expiresAt: expiresAt, decoder: decoder),
                        candidates.count)
            }
        }
        let documents = try await inbox.find(["batch": ["$in": .array(won.map { .string($0.id) })]])
        let postsByBatch = Dictionary(grouping: documents) { $0["batch"]?.stringValue ?? "" }
        var leases: [QueueLease] = []
        for batch in won {
            leases += try Self.leases(postsByBatch[batch.id] ?? [], batch: batch, token: token, expiresAt: expiresAt,
                                      decoder: decoder)
        }
        let empty = won.map(\.id).filter { postsByBatch[$0] == nil }
        if !empty.isEmpty { try await removeEmpty(empty, token: token) }
        return (leases, candidates.count)
    }

    private static func leases(_ documents: [BSONDocument], batch: InboxBatch, token: String, expiresAt: Date,
                               decoder: BSONDecoder) throws -> [QueueLease] {
        let leaseToken = InboxLeaseToken(claim: token, batch: batch.id).text
        return try documents.map { document in
            guard let post = document["post"]?.documentValue else {
                throw MongoError(kind: .decoding, message: "inbox document without post")
            }
            return QueueLease(post: try decoder.decode(Post.self, from: post), attempt: batch.deliveries,
                              token: leaseToken, expiresAt: expiresAt)
        }
    }

    /// Batches with no posts left (their posts were deleted just before a crash).
    private func removeEmpty(_ ids: [String], token: String) async throws {
        try await batches.deleteMany(["_id": ["$in": .array(ids.map { .string($0) })], "leaseToken": .string(token)])
    }

    // MARK: - Acknowledge and release

    public func acknowledge(_ leases: [QueueLease]) async throws {
        for (claim, postsByBatch) in Self.grouped(leases) {
            let owned = try await ownedBatches(Array(postsByBatch.keys), claim: claim)
            let whole = owned.filter { postsByBatch[$0.id, default: []].count >= $0.count }.map { BSONValue.string($0.id) }
            for batch in owned where postsByBatch[batch.id, default: []].count < batch.count {
                // Part of a batch: delete those posts and count them off.
                let ids = postsByBatch[batch.id, default: []]
                let deleted = try await inbox.deleteMany(["_id": ["$in": .array(ids)], "batch": .string(batch.id)])
                _ = try await batches.updateOne(filter: ["_id": .string(batch.id), "leaseToken": .string(claim)],
                                                update: ["$inc": ["count": .int(-deleted)]])
            }
            guard !whole.isEmpty else { continue }
            // Posts first: a crash in between leaves an empty batch, removed when claimed.
            try await inbox.deleteMany(["batch": ["$in": .array(whole)]])
            try await batches.deleteMany(["_id": ["$in": .array(whole)], "leaseToken": .string(claim)])
        }
    }

    public func release(_ leases: [QueueLease], failure: String?) async throws {
        let time = now()
        for (claim, postsByBatch) in Self.grouped(leases) {
            for batch in try await ownedBatches(Array(postsByBatch.keys), claim: claim) {
                let ids = postsByBatch[batch.id, default: []]
                let whole = ids.count >= batch.count
                let failures = batch.failures + (failure == nil ? 0 : 1)
                let mine: BSONDocument = ["_id": .string(batch.id), "leaseToken": .string(claim)]
                if let failure, failures >= configuration.maxFailures {
                    let posts: BSONDocument = whole ? ["batch": .string(batch.id)]
                                                    : ["_id": ["$in": .array(ids)], "batch": .string(batch.id)]
                    let moved = try await deadLetter(posts, reason: failure, failures: failures, at: time)
                    if whole {
                        try await batches.deleteOne(mine)
                    } else {
                        _ = try await batches.updateOne(filter: mine, update: ["$inc": ["count": .int(-moved)]])
                    }
                    continue
                }
                var back: BSONDocument = ["leaseExpiresAt": .date(InboxBatch.waiting), "leaseToken": ""]
                if let failure { back.append("lastFailure", .string(failure)) }
                if whole {
                    _ = try await batches.updateOne(filter: mine, update: ["$set": .document(back), "$inc": ["failures": .int(failures - batch.failures)]])
                } else {
                    // Part of a batch: those posts go back in line in a batch of their own.
                    let part = try await split(ids, from: batch, token: claim, heldUntil: batch.leaseExpiresAt,
                                               deliveries: batch.deliveries, failures: failures)
                    _ = try await batches.updateOne(filter: ["_id": .string(part.id), "leaseToken": .string(claim)],
                                                    update: ["$set": .document(back)])
                    _ = try await batches.updateOne(filter: mine, update: ["$inc": ["count": .int(-part.moved)]])
                }
            }
        }
    }

    /// Moves the posts `ids` of `batch` into a new batch held by `token` until `heldUntil`;
    /// returns its id and how many posts moved. The caller fixes both batches' states.
    private func split(_ ids: [BSONValue], from batch: InboxBatch, token: String, heldUntil: Date,
                       deliveries: Int, failures: Int) async throws -> (id: String, moved: Int) {
        let id = UUID().uuidString
        try await batches.insertOne(InboxBatch.document(
            id: id, count: ids.count, enqueuedAt: batch.enqueuedAt, heldUntil: heldUntil, token: token,
            deliveries: deliveries, failures: failures))
        let moved = try await inbox.updateMany(filter: ["_id": ["$in": .array(ids)], "batch": .string(batch.id)],
                                               update: ["$set": ["batch": .string(id)]]).modifiedCount
        if moved != ids.count {
            _ = try await batches.updateOne(filter: ["_id": .string(id)], update: ["$set": ["count": .int(moved)]])
        }
        return (id, moved)
    }

    /// Copies the inbox posts matching `filter` to `deadLetters`, then deletes them; returns how many.
    private func deadLetter(_ filter: BSONDocument, reason: String, failures: Int, at time: Date) async throws -> Int {
        let documents = try await inbox.find(filter)
        let letters = documents.compactMap { document -> WriteModel? in
            guard let id = document["_id"], let post = document["post"] else { return nil }
            return .replaceOne(filter: ["_id": id], replacement: [
                "_id": id, "post": post, "reason": .string(reason), "failures": .int(failures),
                "deadLetteredAt": .date(time)], upsert: true)
        }
        _ = try await deadLetterCollection.bulkWrite(letters, ordered: false)
        return try await inbox.deleteMany(filter)
    }

    /// The batches among `ids` still leased by `claim`.
    private func ownedBatches(_ ids: [String], claim: String) async throws -> [InboxBatch] {
        try await batches.find(InboxBatch.self, ["_id": ["$in": .array(ids.map { .string($0) })],
                                                 "leaseToken": .string(claim)])
    }

    /// Post ids by claim token, then by batch. Tokens this queue did not make are ignored.
    private static func grouped(_ leases: [QueueLease]) -> [String: [String: [BSONValue]]] {
        var groups: [String: [String: [BSONValue]]] = [:]
        for lease in leases {
            guard let token = InboxLeaseToken(lease.token) else { continue }
            groups[token.claim, default: [:]][token.batch, default: []].append(.string(lease.post.id))
        }
        return groups
    }

    // MARK: - Inspection

    public func stats() async throws -> QueueStats {
        let time = now()
        let waiting = try await postTotals(["$lte": .date(time)])
        let leased = try await postTotals(["$gt": .date(time)])
        let dead = try await deadLetterCollection.count()
        var age: Double?
        if case .date(let enqueuedAt)? = waiting?["oldest"] { age = max(0, time.timeIntervalSince(enqueuedAt)) }
        return QueueStats(pending: waiting?["posts"]?.intValue ?? 0, leased: leased?["posts"]?.intValue ?? 0,
                          deadLettered: dead, oldestPendingAge: age)
    }

    /// Posts and oldest enqueue time of the batches whose lease expiry matches `expiry`.
    private func postTotals(_ expiry: BSONDocument) async throws -> BSONDocument? {
        try await batches.aggregate([
            ["$match": ["leaseExpiresAt": .document(expiry), "count": ["$gt": 0]]],
            ["$group": ["_id": .null, "posts": ["$sum": "$count"], "oldest": ["$min": "$enqueuedAt"]]],
        ]).first
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

    // MARK: - Upgrade

    /// Puts inbox posts without a batch into one new waiting batch.
    private func adoptUnbatchedPosts() async throws {
        let orphans: BSONDocument = ["batch": ["$exists": false]]
        guard try await inbox.findOne(orphans) != nil else { return }
        let time = now()
        let id = UUID().uuidString
        try await batches.insertOne(InboxBatch.document(id: id, count: 0, enqueuedAt: time,
                                                        heldUntil: time.adding(configuration.fillTimeout), token: "",
                                                        deliveries: 0, failures: 0))
        let moved = try await inbox.updateMany(filter: orphans, update: ["$set": ["batch": .string(id)]]).modifiedCount
        _ = try await batches.updateOne(filter: ["_id": .string(id)], update: [
            "$set": ["count": .int(moved), "leaseExpiresAt": .date(InboxBatch.waiting)]])
        logger.notice("inbox posts from an earlier queue layout adopted into a batch", metadata: ["posts": "\(moved)"])
    }
}

extension Date {
    /// This time plus `duration`.
    fileprivate func adding(_ duration: Duration) -> Date {
        addingTimeInterval(duration.inSeconds)
    }
}
