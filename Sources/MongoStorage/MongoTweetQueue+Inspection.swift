import Foundation
import Logging
import MongoKit
import PipelineModel
import Storage

/// What operators and tests read: queue totals and the dead letters.
extension MongoTweetQueue {
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
            ["$match": [BatchField.leaseExpiresAt: .document(expiry), BatchField.count: ["$gt": 0]]],
            ["$group": ["_id": .null, "posts": ["$sum": .string(MongoSchema.value(of: BatchField.count))],
                        "oldest": ["$min": .string(MongoSchema.value(of: BatchField.enqueuedAt))]]],
        ]).first
    }

    public func deadLetters(limit: Int) async throws -> [DeadLetter] {
        guard limit > 0 else { return [] }
        let decoder = BSONDecoder()
        return try await deadLetterCollection.find([:], options: FindOptions(sort: [LetterField.deadLetteredAt: -1],
                                                                              limit: limit))
            .map { document in
                guard let post = document[LetterField.post]?.documentValue,
                      case .date(let at)? = document[LetterField.deadLetteredAt] else {
                    throw MongoError(kind: .decoding, message: "malformed dead letter")
                }
                return DeadLetter(post: try decoder.decode(Post.self, from: post),
                                  reason: document[LetterField.reason]?.stringValue ?? "",
                                  failures: document[LetterField.failures]?.intValue ?? 0, deadLetteredAt: at)
            }
    }
}
