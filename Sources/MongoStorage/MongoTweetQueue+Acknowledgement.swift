import Foundation
import Logging
import MongoKit
import PipelineModel
import Storage

/// Acknowledgement and release: only batches still carrying the claim's token change;
/// part of a batch is split off first. Failures past the limit move posts to `deadLetters`.
extension MongoTweetQueue {
    // MARK: - Acknowledge and release

    public func acknowledge(_ leases: [QueueLease]) async throws {
        for (claim, postsByBatch) in Self.grouped(leases) {
            let owned = try await ownedBatches(Array(postsByBatch.keys), claim: claim)
            let whole = owned.filter { postsByBatch[$0.id, default: []].count >= $0.count }.map { BSONValue.string($0.id) }
            for batch in owned where postsByBatch[batch.id, default: []].count < batch.count {
                // Part of a batch: delete those posts and count them off.
                let ids = postsByBatch[batch.id, default: []]
                let deleted = try await inbox.deleteMany([InboxField.id: ["$in": .array(ids)],
                                                          InboxField.batch: .string(batch.id)])
                _ = try await batches.updateOne(
                    filter: [BatchField.id: .string(batch.id), BatchField.leaseToken: .string(claim)],
                    update: ["$inc": [BatchField.count: .int(-deleted)]])
            }
            guard !whole.isEmpty else { continue }
            // Posts first: a crash in between leaves an empty batch, removed when claimed.
            try await inbox.deleteMany([InboxField.batch: ["$in": .array(whole)]])
            try await batches.deleteMany([BatchField.id: ["$in": .array(whole)], BatchField.leaseToken: .string(claim)])
        }
    }

    public func release(_ leases: [QueueLease], failure: String?) async throws {
        let time = now()
        for (claim, postsByBatch) in Self.grouped(leases) {
            for batch in try await ownedBatches(Array(postsByBatch.keys), claim: claim) {
                let ids = postsByBatch[batch.id, default: []]
                let whole = ids.count >= batch.count
                let failures = batch.failures + (failure == nil ? 0 : 1)
                let mine: BSONDocument = [BatchField.id: .string(batch.id), BatchField.leaseToken: .string(claim)]
                if let failure, failures >= configuration.maxFailures {
                    let posts: BSONDocument = whole ? [InboxField.batch: .string(batch.id)]
                                                    : [InboxField.id: ["$in": .array(ids)],
                                                       InboxField.batch: .string(batch.id)]
                    let moved = try await deadLetter(posts, reason: failure, failures: failures, at: time)
                    if whole {
                        try await batches.deleteOne(mine)
                    } else {
                        _ = try await batches.updateOne(filter: mine, update: ["$inc": [BatchField.count: .int(-moved)]])
                    }
                    continue
                }
                var back: BSONDocument = [BatchField.leaseExpiresAt: .date(InboxBatch.waiting), BatchField.leaseToken: ""]
                if let failure { back.append(BatchField.lastFailure, .string(failure)) }
                if whole {
                    _ = try await batches.updateOne(filter: mine, update: [
                        "$set": .document(back), "$inc": [BatchField.failures: .int(failures - batch.failures)]])
                } else {
                    // Part of a batch: those posts go back in line in a batch of their own.
                    let part = try await split(ids, from: batch, token: claim, heldUntil: batch.leaseExpiresAt,
                                               deliveries: batch.deliveries, failures: failures)
                    _ = try await batches.updateOne(
                        filter: [BatchField.id: .string(part.id), BatchField.leaseToken: .string(claim)],
                        update: ["$set": .document(back)])
                    _ = try await batches.updateOne(filter: mine, update: ["$inc": [BatchField.count: .int(-part.moved)]])
                }
            }
        }
    }

    /// Moves the posts `ids` of `batch` into a new batch held by `token` until `heldUntil`;
    /// returns its id and how many posts moved. The caller fixes both batches' states.
    func split(_ ids: [BSONValue], from batch: InboxBatch, token: String, heldUntil: Date,
                       deliveries: Int, failures: Int) async throws -> (id: String, moved: Int) {
        let id = UUID().uuidString
        try await batches.insertOne(InboxBatch.document(
            id: id, count: ids.count, enqueuedAt: batch.enqueuedAt, heldUntil: heldUntil, token: token,
            deliveries: deliveries, failures: failures))
        let moved = try await inbox.updateMany(
            filter: [InboxField.id: ["$in": .array(ids)], InboxField.batch: .string(batch.id)],
            update: ["$set": [InboxField.batch: .string(id)]]).modifiedCount
        if moved != ids.count {
            _ = try await batches.updateOne(filter: [BatchField.id: .string(id)],
                                            update: ["$set": [BatchField.count: .int(moved)]])
        }
        return (id, moved)
    }

    /// Copies the inbox posts matching `filter` to `deadLetters`, then deletes them; returns how many.
    private func deadLetter(_ filter: BSONDocument, reason: String, failures: Int, at time: Date) async throws -> Int {
        let documents = try await inbox.find(filter)
        let letters = documents.compactMap { document -> WriteModel? in
            guard let id = document[InboxField.id], let post = document[InboxField.post] else { return nil }
            return .replaceOne(filter: [LetterField.id: id], replacement: [
                LetterField.id: id, LetterField.post: post, LetterField.reason: .string(reason),
                LetterField.failures: .int(failures), LetterField.deadLetteredAt: .date(time)], upsert: true)
        }
        _ = try await deadLetterCollection.bulkWrite(letters, ordered: false)
        return try await inbox.deleteMany(filter)
    }

    /// The batches among `ids` still leased by `claim`.
    private func ownedBatches(_ ids: [String], claim: String) async throws -> [InboxBatch] {
        try await batches.find(InboxBatch.self, [BatchField.id: ["$in": .array(ids.map { .string($0) })],
                                                 BatchField.leaseToken: .string(claim)])
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
}
