import PipelineModel
import Foundation
import MongoKit

/// One document of `inboxBatches`: the lease of the `inboxPosts` document with the same
/// id. Leasing, expiry, delivery and failure counts live here, in a small document, so a
/// claim rewrites a few hundred bytes however many posts the batch holds.
struct InboxBatch: Codable, Sendable {
    /// Random id (UUID text).
    var id: String
    /// Posts in the batch's `inboxPosts` document.
    var count: Int
    /// When its posts were first queued (kept when a batch is split).
    var enqueuedAt: Date
    /// Claimable when this is not in the future; the epoch for a waiting batch.
    var leaseExpiresAt: Date
    /// The claim holding the lease; empty when waiting.
    var leaseToken: String
    /// Times the batch was handed out.
    var deliveries: Int
    /// Failed attempts counted against the dead-letter limit.
    var failures: Int

    /// The stored field names, from `MongoSchema.InboxBatches`.
    enum CodingKeys: CodingKey, CaseIterable {
        case id, count, enqueuedAt, leaseExpiresAt, leaseToken, deliveries, failures

        var stringValue: String {
            switch self {
            case .id: Field.id
            case .count: Field.count
            case .enqueuedAt: Field.enqueuedAt
            case .leaseExpiresAt: Field.leaseExpiresAt
            case .leaseToken: Field.leaseToken
            case .deliveries: Field.deliveries
            case .failures: Field.failures
            }
        }

        init?(stringValue: String) {
            guard let key = Self.allCases.first(where: { $0.stringValue == stringValue }) else { return nil }
            self = key
        }

        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    private typealias Field = MongoSchema.InboxBatches

    /// The lease expiry of a waiting batch.
    static let waiting = Date(timeIntervalSince1970: 0)

    /// A new batch document, leased by `token` until `leaseExpiresAt` (`waiting` and an
    /// empty token for a claimable one).
    static func document(id: String, count: Int, enqueuedAt: Date, leaseExpiresAt: Date, token: String,
                         deliveries: Int, failures: Int) -> BSONDocument {
        [Field.id: .string(id), Field.count: .int(count), Field.enqueuedAt: .date(enqueuedAt),
         Field.leaseExpiresAt: .date(leaseExpiresAt), Field.leaseToken: .string(token),
         Field.deliveries: .int(deliveries), Field.failures: .int(failures)]
    }
}

/// The token of a `QueueLease` from `MongoTweetQueue`: the claim's token, the batch the
/// post belongs to and how many posts the batch held when claimed, as `CLAIM/BATCH/SIZE`
/// (so acknowledging a whole batch needs no read to know it is whole).
struct InboxLeaseToken: Hashable, Sendable {
    var claim: String
    var batch: String
    var size: Int

    var text: String { "\(claim)/\(batch)/\(size)" }

    init(claim: String, batch: String, size: Int) {
        self.claim = claim
        self.batch = batch
        self.size = size
    }

    /// Nil for a token this queue did not make.
    init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty, let size = Int(parts[2]) else { return nil }
        claim = String(parts[0])
        batch = String(parts[1])
        self.size = size
    }
}
