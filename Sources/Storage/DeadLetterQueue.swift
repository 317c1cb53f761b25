import PipelineModel
import Foundation

/// A post the queue gave up on after too many failed attempts, with the last reason.
public struct DeadLetter: Sendable, Hashable, Codable, Identifiable {
    /// The post.
    public var post: Post
    /// Why the last attempt failed.
    public var reason: String
    /// Failed attempts counted against the limit.
    public var failures: Int
    /// When it was moved to the dead letters.
    public var deadLetteredAt: Date

    public init(post: Post, reason: String, failures: Int, deadLetteredAt: Date) {
        self.post = post
        self.reason = reason
        self.failures = failures
        self.deadLetteredAt = deadLetteredAt
    }

    /// The post id.
    public var id: String { post.id }
}

/// A `TweetQueue` that keeps the posts it dead-lettered, so operators (and tests) can
/// see what failed and why.
public protocol DeadLetterQueue: TweetQueue {
    /// The newest dead letters first, at most `limit`.
    func deadLetters(limit: Int) async throws -> [DeadLetter]
}
