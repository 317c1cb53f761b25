import MongoKit
import PipelineModel
import Storage

/// Records a batch and acknowledges it in one transaction: the posts and their counts,
/// and the deletion of the batch's lease and posts documents (only while the lease still
/// carries the claim's token). A consumer that dies at any point leaves either nothing
/// (the lease expires, the batch is claimed again) or everything (the batch is recorded
/// and gone from the queue); one whose lease expired while it worked records nothing
/// (`LeaseLost`) and the worker that claimed the batch after it does.
public struct MongoBatchRecorder: BatchRecorder {
    private let store: MongoSentimentStore
    private let queue: MongoTweetQueue

    /// Records into `store`, acknowledges in `queue`; both must use the same client.
    public init(store: MongoSentimentStore, queue: MongoTweetQueue) {
        precondition(store.client === queue.client, "a transaction spans one client")
        self.store = store
        self.queue = queue
    }

    public func record(_ posts: [ScoredPost], acknowledging leases: [QueueLease]) async throws -> RecordOutcome {
        let queue = queue
        return try await store.record(posts) { session in
            guard try await queue.settle(acknowledging: leases, session: session) else { throw LeaseLost() }
        }
    }
}
