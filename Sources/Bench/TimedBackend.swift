import Foundation
import PipelineModel
import Storage
import Synchronization

/// Wall time spent in each queue and store operation, summed over every worker; tells
/// which step of the consumer dominates against a given backend.
final class StepTimes: Sendable {
    private let totals = Mutex<[String: (calls: Int, seconds: Double, items: Int)]>([:])

    /// Runs `body`, adding its duration to `step` (and `items`, the posts it handled).
    func measure<T>(_ step: String, items: Int = 0, _ body: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now
        defer {
            let elapsed = ConsumerBench.seconds(ContinuousClock.now - start)
            totals.withLock { totals in
                let old = totals[step] ?? (0, 0, 0)
                totals[step] = (old.calls + 1, old.seconds + elapsed, old.items + items)
            }
        }
        return try await body()
    }

    /// Seconds per item of `step`, if it handled any.
    func perItem(_ step: String) -> Double? {
        totals.withLock { totals in
            guard let total = totals[step], total.items > 0 else { return nil }
            return total.seconds / Double(total.items)
        }
    }

    /// One line per step: calls, total seconds, milliseconds per call.
    var report: [String] {
        totals.withLock { totals in
            totals.sorted { $0.value.seconds > $1.value.seconds }.map { step, total in
                String(format: "  %-12@ %6d calls %8.2f s %8.2f ms/call", step, total.calls, total.seconds,
                       total.seconds * 1000 / Double(max(1, total.calls)))
            }
        }
    }
}

/// A `TweetQueue` that times every call of the queue it wraps.
struct TimedQueue: TweetQueue {
    let base: any TweetQueue
    let times: StepTimes

    func enqueue(_ posts: [Post]) async throws -> EnqueueOutcome {
        try await times.measure("enqueue") { try await base.enqueue(posts) }
    }
    func claim(limit: Int, lease: Duration, worker: String) async throws -> [QueueLease] {
        try await times.measure("claim") { try await base.claim(limit: limit, lease: lease, worker: worker) }
    }
    func acknowledge(_ leases: [QueueLease]) async throws {
        try await times.measure("acknowledge") { try await base.acknowledge(leases) }
    }
    func release(_ leases: [QueueLease], failure: String?) async throws {
        try await times.measure("release") { try await base.release(leases, failure: failure) }
    }
    func stats() async throws -> QueueStats {
        try await times.measure("stats") { try await base.stats() }
    }
}

/// A `SentimentStore` that times `record` of the store it wraps (the consumer's only write).
struct TimedStore: ForwardingSentimentStore {
    let base: any SentimentStore
    let times: StepTimes

    func record(_ posts: [ScoredPost]) async throws -> RecordOutcome {
        try await times.measure("record", items: posts.count) { try await base.record(posts) }
    }
}

/// A `BatchRecorder` that times the recorder it wraps (recording and acknowledging together).
struct TimedRecorder: BatchRecorder {
    let base: any BatchRecorder
    let times: StepTimes

    func record(_ posts: [ScoredPost], acknowledging leases: [QueueLease]) async throws -> RecordOutcome {
        try await times.measure("record", items: posts.count) { try await base.record(posts, acknowledging: leases) }
    }
}
