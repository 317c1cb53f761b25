import PipelineModel
import Foundation

/// A post handed to one worker for a limited time. Until it is acknowledged or released,
/// no other worker receives it; when the lease expires, it is delivered again.
public struct QueueLease: Sendable, Hashable {
    /// The post.
    public var post: Post
    /// How many times this post has been delivered, this delivery included.
    public var attempt: Int
    /// Opaque proof of this particular lease (a stale lease cannot acknowledge).
    public var token: String
    /// When the lease runs out.
    public var expiresAt: Date

    public init(post: Post, attempt: Int, token: String, expiresAt: Date) {
        self.post = post
        self.attempt = attempt
        self.token = token
        self.expiresAt = expiresAt
    }
}

/// A snapshot of a queue's state, for metrics and the dashboard.
public struct QueueStats: Sendable, Hashable, Codable {
    /// Posts waiting to be claimed.
    public var pending: Int
    /// Posts currently leased to a worker.
    public var leased: Int
    /// Posts moved to the dead-letter collection.
    public var deadLettered: Int
    /// Age in seconds of the oldest waiting post (consumer lag), nil when empty.
    public var oldestPendingAge: Double?

    public init(pending: Int, leased: Int, deadLettered: Int, oldestPendingAge: Double?) {
        self.pending = pending
        self.leased = leased
        self.deadLettered = deadLettered
        self.oldestPendingAge = oldestPendingAge
    }
}

/// The durable hand-off between listener and consumers, with at-least-once delivery:
/// a post leaves the queue only when a worker acknowledges it. The listener sees only
/// its producer side, `PostSink`; workers use the rest.
public protocol TweetQueue: PostSink {
    /// Leases up to `limit` posts to `worker` for `lease`; returns an empty array if none
    /// wait. A queue that hands posts out in groups may return fewer than `limit` while
    /// more wait, but never none while any wait (unless other workers won them all).
    func claim(limit: Int, lease: Duration, worker: String) async throws -> [QueueLease]
    /// Removes processed posts. Leases that expired and were handed out again are ignored.
    func acknowledge(_ leases: [QueueLease]) async throws
    /// Returns posts for another attempt; with a `failure` reason the attempt counts
    /// against the dead-letter limit, and a post over the limit is dead-lettered.
    func release(_ leases: [QueueLease], failure: String?) async throws
    /// Current counts and lag.
    func stats() async throws -> QueueStats
}
