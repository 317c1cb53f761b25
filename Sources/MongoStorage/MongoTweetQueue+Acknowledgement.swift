import Foundation
import Logging
import MongoKit
import PipelineModel
import Storage

/// Acknowledgement and release: only batches still carrying the claim's token change; a
/// part of a batch leaves it as a batch of its own. Failures past the limit move posts to
/// `deadLetters`. Every change to a batch is one transaction.
extension MongoTweetQueue {
    // MARK: - Acknowledge and release

    public func acknowledge(_ leases: [QueueLease]) async throws {
        for (token, ids) in Self.grouped(leases) {
            // A stale lease is ignored: another worker holds the batch now.
            _ = try await client.withTransaction { session in
                try await self.settle(token, acknowledging: ids, session: session)
            }
        }
    }

    /// Acknowledges `leases` inside `session`'s transaction (the one recording them);
    /// false, with nothing changed that needs undoing beyond the transaction, if any of
    /// their batches is no longer leased by the claim they came from.
    func settle(acknowledging leases: [QueueLease], session: MongoSession) async throws -> Bool {
        for (token, ids) in Self.grouped(leases) {
            guard try await settle(token, acknowledging: ids, session: session) else { return false }
        }
        return true
    }

    /// Removes posts `ids` of the batch `token` names; false if the claim lost its lease.
    private func settle(_ token: InboxLeaseToken, acknowledging ids: Set<String>, session: MongoSession) async throws
        -> Bool {
        let mine: BSONDocument = [BatchField.id: .string(token.batch), BatchField.leaseToken: .string(token.claim)]
        if ids.count >= token.size {
            // The whole batch as claimed (the usual case): two deletes, no read.
            guard try await batches.deleteOne(mine, session: session) == 1 else { return false }
            try await posts.deleteOne([PostsField.id: .string(token.batch)], session: session)
            return true
        }
        guard let batch = try await batches.findOne(InboxBatch.self, mine, session: session) else { return false }
        let remaining = (try await postsOf(batch, session: session) ?? []).filter { !ids.contains(Self.postID($0)) }
        if remaining.isEmpty {
            try await removeBatch(token.batch, session: session)
        } else {
            try await rewrite(token.batch, token: token.claim, posts: remaining, session: session)
        }
        return true
    }

    public func release(_ leases: [QueueLease], failure: String?) async throws {
        let time = now()
        for (token, ids) in Self.grouped(leases) {
            try await client.withTransaction { session in
                try await self.release(token, ids: ids, failure: failure, at: time, session: session)
            }
        }
    }

    private func release(_ token: InboxLeaseToken, ids: Set<String>, failure: String?, at time: Date,
                         session: MongoSession) async throws {
        let mine: BSONDocument = [BatchField.id: .string(token.batch), BatchField.leaseToken: .string(token.claim)]
        guard let batch = try await batches.findOne(InboxBatch.self, mine, session: session) else { return }
        let documents = try await postsOf(batch, session: session) ?? []
        let chosen = documents.filter { ids.contains(Self.postID($0)) }
        let others = documents.filter { !ids.contains(Self.postID($0)) }
        let failures = batch.failures + (failure == nil ? 0 : 1)
        if let failure, failures >= configuration.maxFailures {
            try await deadLetter(chosen, reason: failure, failures: failures, at: time, session: session)
            if others.isEmpty {
                try await removeBatch(batch.id, session: session)
            } else {
                try await rewrite(batch.id, token: token.claim, posts: others, session: session)
            }
            return
        }
        if others.isEmpty {
            var back: BSONDocument = [BatchField.leaseExpiresAt: .date(InboxBatch.waiting), BatchField.leaseToken: ""]
            if let failure { back.append(BatchField.lastFailure, .string(failure)) }
            _ = try await batches.updateOne(filter: mine, update: ["$set": .document(back),
                                                                   "$inc": [BatchField.failures: .int(failures - batch.failures)]],
                                            session: session)
        } else {
            // Part of a batch: those posts go back in line in a batch of their own.
            try await rewrite(batch.id, token: token.claim, posts: others, session: session)
            try await insertBatch(chosen, enqueuedAt: batch.enqueuedAt, deliveries: batch.deliveries, failures: failures,
                                  lastFailure: failure, session: session)
        }
    }

    // MARK: - Batch documents

    /// Replaces the posts of batch `id` (leased by `token`) with `posts` and its count with
    /// theirs; throws `LeaseLost` if the lease is no longer `token`'s.
    func rewrite(_ id: String, token: String, posts documents: [BSONValue], session: MongoSession) async throws {
        let lease = try await batches.updateOne(
            filter: [BatchField.id: .string(id), BatchField.leaseToken: .string(token)],
            update: ["$set": [BatchField.count: .int(documents.count)]], session: session)
        guard lease.matchedCount == 1 else { throw LeaseLost() }
        _ = try await posts.updateOne(filter: [PostsField.id: .string(id)],
                                      update: ["$set": [PostsField.posts: .array(documents)]], session: session)
    }

    /// Queues `documents` (encoded posts) as a new waiting batch.
    func insertBatch(_ documents: [BSONValue], enqueuedAt: Date, deliveries: Int, failures: Int,
                     lastFailure: String? = nil, session: MongoSession) async throws {
        let id = UUID().uuidString
        try await posts.insertOne([PostsField.id: .string(id), PostsField.posts: .array(documents),
                                   PostsField.enqueuedAt: .date(enqueuedAt)], session: session)
        var lease = InboxBatch.document(id: id, count: documents.count, enqueuedAt: enqueuedAt,
                                        leaseExpiresAt: InboxBatch.waiting, token: "", deliveries: deliveries,
                                        failures: failures)
        if let lastFailure { lease.append(BatchField.lastFailure, .string(lastFailure)) }
        try await batches.insertOne(lease, session: session)
    }

    /// Deletes batch `id`'s two documents.
    private func removeBatch(_ id: String, session: MongoSession) async throws {
        try await batches.deleteOne([BatchField.id: .string(id)], session: session)
        try await posts.deleteOne([PostsField.id: .string(id)], session: session)
    }

    /// Stores `documents` (encoded posts) in `deadLetters`.
    private func deadLetter(_ documents: [BSONValue], reason: String, failures: Int, at time: Date,
                            session: MongoSession) async throws {
        let letters = documents.compactMap { value -> WriteModel? in
            guard case .document(let post) = value, let id = post["id"] else { return nil }
            return .replaceOne(filter: [LetterField.id: id], replacement: [
                LetterField.id: id, LetterField.post: .document(post), LetterField.reason: .string(reason),
                LetterField.failures: .int(failures), LetterField.deadLetteredAt: .date(time)], upsert: true)
        }
        guard !letters.isEmpty else { return }
        _ = try await deadLetterCollection.bulkWrite(letters, ordered: false, session: session)
    }

    /// The id of an encoded post.
    static func postID(_ value: BSONValue) -> String {
        guard case .document(let post) = value else { return "" }
        return post["id"]?.stringValue ?? ""
    }

    /// Post ids by lease token (claim, batch, size). Tokens this queue did not make are ignored.
    static func grouped(_ leases: [QueueLease]) -> [InboxLeaseToken: Set<String>] {
        var groups: [InboxLeaseToken: Set<String>] = [:]
        for lease in leases {
            guard let token = InboxLeaseToken(lease.token) else { continue }
            groups[token, default: []].insert(lease.post.id)
        }
        return groups
    }
}
