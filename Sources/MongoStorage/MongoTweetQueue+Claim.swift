import Foundation
import Logging
import MongoKit
import PipelineModel
import Storage

/// Claims: the oldest claimable batches, each leased in a small transaction.
///
/// Why a transaction: a consumer killed inside its record transaction leaves that
/// transaction open on the server until the server reaps it (60 s in MongoDB), holding the
/// batch's lease document. A plain write to that document waits for it the whole time (the
/// server retries write conflicts outside transactions), so every claimer would queue up
/// behind one dead consumer. Inside a transaction the same conflict fails at once, and the
/// claimer takes the next batch in line.
extension MongoTweetQueue {
    // MARK: - Claim

    /// Claimable batches read per attempt.
    static let candidatesPerClaim = 8

    public func claim(limit: Int, lease: Duration, worker: String) async throws -> [QueueLease] {
        guard limit > 0 else { return [] }
        let token = UUID().uuidString
        var leases: [QueueLease] = []
        var busy = Set<String>()
        while leases.count < limit {
            let room = limit - leases.count
            let time = now()
            // The first batch whatever its size (split if too big); then only batches that fit.
            var filter: BSONDocument = [BatchField.leaseExpiresAt: ["$lte": .date(time)]]
            if !leases.isEmpty { filter.append(BatchField.count, ["$lte": .int(room)]) }
            let candidates = try await batches.find(
                filter, options: FindOptions(sort: [BatchField.leaseExpiresAt: 1, BatchField.enqueuedAt: 1],
                                             limit: Self.candidatesPerClaim + busy.count,
                                             projection: [BatchField.id: 1]))
                .compactMap { $0[BatchField.id]?.stringValue }.filter { !busy.contains($0) }
            var claimed: [QueueLease]?
            for id in candidates {
                do {
                    claimed = try await claimBatch(id, token: token, room: room, at: time, lease: lease, worker: worker)
                } catch let error as MongoError where error.hasLabel("TransientTransactionError") || error.kind == .transient {
                    busy.insert(id)  // another transaction (perhaps a dead consumer's) holds it
                    continue
                }
                if claimed != nil { break }
            }
            // Nothing claimable left, or every candidate won by other workers meanwhile.
            guard let claimed else { break }
            leases += claimed
        }
        return leases
    }

    /// Leases batch `id` to `token` if it is still claimable, with at most `room` of its
    /// posts (the rest split off into a batch of their own), in one transaction that
    /// fails at once if another holds the batch. Nil if another worker won it.
    private func claimBatch(_ id: String, token: String, room: Int, at time: Date, lease: Duration,
                            worker: String) async throws -> [QueueLease]? {
        try await client.withTransaction(retryLimit: .zero) { session -> [QueueLease]? in
            guard let document = try await self.batches.findOneAndUpdate(
                filter: [BatchField.id: .string(id), BatchField.leaseExpiresAt: ["$lte": .date(time)]],
                update: ["$set": [BatchField.leaseToken: .string(token),
                                  BatchField.leaseExpiresAt: .date(time.adding(lease)),
                                  BatchField.worker: .string(worker)],
                         "$inc": [BatchField.deliveries: 1]],
                session: session) else { return nil }
            let batch = try BSONDecoder().decode(InboxBatch.self, from: document)
            guard var posts = try await self.postsOf(batch, session: session) else {
                // Its posts are gone (a lease that had expired acknowledged them): nothing to do.
                try await self.batches.deleteOne([BatchField.id: .string(id)], session: session)
                return []
            }
            if posts.count > room {
                let rest = Array(posts.dropFirst(room))
                posts = Array(posts.prefix(room))
                try await self.rewrite(batch.id, token: token, posts: posts, session: session)
                // Not delivered yet: the part starts with the deliveries the batch had before this claim.
                try await self.insertBatch(rest, enqueuedAt: batch.enqueuedAt, deliveries: batch.deliveries - 1,
                                           failures: batch.failures, session: session)
            }
            return try Self.leases(posts, of: batch, token: token)
        }
    }

    private static func leases(_ posts: [BSONValue], of batch: InboxBatch, token: String) throws -> [QueueLease] {
        let decoder = BSONDecoder()
        let leaseToken = InboxLeaseToken(claim: token, batch: batch.id, size: posts.count).text
        return try posts.map { value in
            guard case .document(let post) = value else {
                throw MongoError(kind: .decoding, message: "inboxPosts document with a malformed post")
            }
            return QueueLease(post: try decoder.decode(Post.self, from: post), attempt: batch.deliveries,
                              token: leaseToken, expiresAt: batch.leaseExpiresAt)
        }
    }

    /// The posts of `batch` as stored; nil if its posts document is gone.
    func postsOf(_ batch: InboxBatch, session: MongoSession? = nil) async throws -> [BSONValue]? {
        guard let document = try await posts.findOne([PostsField.id: .string(batch.id)], session: session) else {
            return nil
        }
        guard case .array(let values)? = document[PostsField.posts] else {
            throw MongoError(kind: .decoding, message: "inboxPosts document \(batch.id) without posts")
        }
        return values
    }
}
