import PipelineModel
import Foundation
import MongoKit

/// One document of `inboxBatches`: the lease of a group of `inbox` posts.
///
/// Posts stay one document each in `inbox` (keyed by post id, so a post queued twice is
/// recognised); each carries the id of its batch. Leasing, expiry, delivery and failure
/// counts live here, once per batch, so a claim or an acknowledgement writes a handful
/// of batch documents instead of one document per post.
struct InboxBatch: Codable, Sendable {
    /// Random id (UUID text).
    var id: String
    /// Posts of the batch still in `inbox`; never below the true number (it may be above
    /// after a crash, which only makes a later acknowledgement take the careful path).
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

    /// A new batch document, held by `token` until `heldUntil` (a batch being filled or
    /// split is not claimable until its posts are in place; if its writer dies, it
    /// becomes claimable when that time passes).
    static func document(id: String, count: Int, enqueuedAt: Date, heldUntil: Date, token: String,
                         deliveries: Int, failures: Int) -> BSONDocument {
        [Field.id: .string(id), Field.count: .int(count), Field.enqueuedAt: .date(enqueuedAt),
         Field.leaseExpiresAt: .date(heldUntil), Field.leaseToken: .string(token),
         Field.deliveries: .int(deliveries), Field.failures: .int(failures)]
    }
}

/// The token of a `QueueLease` from `MongoTweetQueue`: the claim's token and the batch
/// the post belongs to, as `CLAIM/BATCH`.
struct InboxLeaseToken: Hashable, Sendable {
    var claim: String
    var batch: String

    var text: String { "\(claim)/\(batch)" }

    init(claim: String, batch: String) {
        self.claim = claim
        self.batch = batch
    }

    /// Nil for a token this queue did not make.
    init?(_ text: String) {
        guard let slash = text.firstIndex(of: "/") else { return nil }
        claim = String(text[..<slash])
        batch = String(text[text.index(after: slash)...])
        guard !claim.isEmpty, !batch.isEmpty else { return nil }
    }
}
