import Foundation
import Logging
import MongoKit
import PipelineModel
import Storage

/// Claims: the oldest claimable batches, leased under one fresh token.
extension MongoTweetQueue {
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
        let candidates = try await batches.find(
            InboxBatch.self, [BatchField.leaseExpiresAt: ["$lte": .date(time)]],
            options: FindOptions(sort: [BatchField.leaseExpiresAt: 1, BatchField.enqueuedAt: 1],
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
            filter: [BatchField.id: ["$in": .array(chosenIDs)], BatchField.leaseExpiresAt: ["$lte": .date(time)]],
            update: ["$set": [BatchField.leaseToken: .string(token), BatchField.leaseExpiresAt: .date(expiresAt),
                              BatchField.worker: .string(worker)],
                     "$inc": [BatchField.deliveries: 1]])
        var won: [InboxBatch]
        if stamp.modifiedCount == chosen.count {
            // Uncontended (the usual case): every candidate is ours and already in hand.
            won = chosen.map { var batch = $0; batch.deliveries += 1; batch.leaseToken = token; return batch }
        } else {
            won = try await batches.find(InboxBatch.self, [BatchField.id: ["$in": .array(chosenIDs)],
                                                           BatchField.leaseToken: .string(token)])
        }
        guard !won.isEmpty else { return ([], candidates.count) }

        let decoder = BSONDecoder()
        if won.count == 1, won[0].count > limit {
            // One batch larger than the claim: take `limit` of its posts into a batch of their own.
            var batch = won[0]
            let documents = try await inbox.find([InboxField.batch: .string(batch.id)],
                                                 options: FindOptions(limit: limit + 1))
            if documents.count > limit {
                let taken = Array(documents.prefix(limit))
                let part = try await split(taken.compactMap { $0[InboxField.id] }, from: batch, token: token, heldUntil: expiresAt,
                                           deliveries: batch.deliveries, failures: batch.failures)
                // The rest of the batch goes back in line as it was.
                _ = try await batches.updateOne(
                    filter: [BatchField.id: .string(batch.id), BatchField.leaseToken: .string(token)], update: [
                        "$set": [BatchField.leaseExpiresAt: .date(InboxBatch.waiting), BatchField.leaseToken: ""],
                        "$inc": [BatchField.deliveries: -1, BatchField.count: .int(-part.moved)]])
                batch.id = part.id
                return (try Self.leases(taken, batch: batch, token: token, expiresAt: expiresAt, decoder: decoder),
                        candidates.count)
            }
        }
        let documents = try await inbox.find([InboxField.batch: ["$in": .array(won.map { .string($0.id) })]])
        let postsByBatch = Dictionary(grouping: documents) { $0[InboxField.batch]?.stringValue ?? "" }
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
            guard let post = document[InboxField.post]?.documentValue else {
                throw MongoError(kind: .decoding, message: "inbox document without post")
            }
            return QueueLease(post: try decoder.decode(Post.self, from: post), attempt: batch.deliveries,
                              token: leaseToken, expiresAt: expiresAt)
        }
    }

    /// Batches with no posts left (their posts were deleted just before a crash).
    private func removeEmpty(_ ids: [String], token: String) async throws {
        try await batches.deleteMany([BatchField.id: ["$in": .array(ids.map { .string($0) })],
                                      BatchField.leaseToken: .string(token)])
    }
}
