import PipelineModel

/// Records in the store, then acknowledges in the queue: for a queue and store that share
/// no transaction (the in-memory pair, or a queue and store in different databases).
public struct SequentialBatchRecorder: BatchRecorder {
    private let store: any SentimentStore
    private let queue: any TweetQueue

    /// Records into `store`, acknowledges in `queue`.
    public init(store: any SentimentStore, queue: any TweetQueue) {
        self.store = store
        self.queue = queue
    }

    public func record(_ posts: [ScoredPost], acknowledging leases: [QueueLease]) async throws -> RecordOutcome {
        let outcome = try await store.record(posts)
        do {
            try await queue.acknowledge(leases)
        } catch {
            throw RecordedButNotAcknowledged(outcome: outcome, underlying: error)
        }
        return outcome
    }
}
