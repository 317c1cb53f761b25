import Foundation

/// Result of handing posts to a queue.
public struct EnqueueOutcome: Sendable, Hashable {
    /// Posts newly queued.
    public var accepted: Int
    /// Posts the queue already held (same id), ignored.
    public var duplicates: Int

    public init(accepted: Int, duplicates: Int) {
        self.accepted = accepted
        self.duplicates = duplicates
    }
}

/// Where the listener hands decoded posts: the producer side of the queue (or, for a
/// listener without MongoDB, standard output). A sink never hands posts back.
public protocol PostSink: Sendable {
    /// Adds posts; posts whose id the sink already holds are ignored and counted as
    /// duplicates. A bounded sink suspends the caller while full (backpressure).
    func enqueue(_ posts: [Post]) async throws -> EnqueueOutcome
}
