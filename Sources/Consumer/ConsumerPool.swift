import Foundation
import Logging
import PipelineModel
import Storage
import Sentiment
import ServiceLifecycle

/// A pool of workers that drain a `TweetQueue` into a `SentimentStore`.
///
/// Each worker loops: claim a batch → score it with the engine's batch API → record it
/// and acknowledge it (one transaction where the backend allows, see `BatchRecorder`).
/// Recording is exactly-once by post id, and acknowledging never comes before recording,
/// so a batch delivered twice (crash, expired lease) is counted once; see
/// Sources/Consumer/README.md for the argument.
///
/// Graceful shutdown (as a `Service`) or cancelling the task that runs the pool: no new
/// batch is claimed, and a batch in flight is finished (recorded and acknowledged) or
/// released.
public final class ConsumerPool: Service, Sendable {
    private let queue: any TweetQueue
    private let store: any SentimentStore
    private let recorder: any BatchRecorder
    private let engine: any SentimentEngine
    private let gate: LanguageGate
    private let configuration: ConsumerConfiguration
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let metrics = ConsumerMetrics()
    private let counter = ProgressCounter()

    /// A pool reading `queue`, scoring with `engine`, writing `store` through `recorder`
    /// (record, then acknowledge, when nil); `now` stamps `scoredAt`.
    public init(queue: any TweetQueue, store: any SentimentStore, engine: any SentimentEngine,
                recorder: (any BatchRecorder)? = nil,
                configuration: ConsumerConfiguration = ConsumerConfiguration(),
                logger: Logger = Logger(label: "consumer"),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.queue = queue
        self.store = store
        self.recorder = recorder ?? SequentialBatchRecorder(store: store, queue: queue)
        self.engine = engine
        self.gate = configuration.scoreLanguages.map { LanguageGate(languages: $0) } ?? LanguageGate(defaultFor: engine)
        self.configuration = configuration
        self.logger = logger
        self.now = now
    }

    /// Totals since the pool was created.
    public var progress: ConsumerProgress { counter.snapshot }

    /// Runs the workers until graceful shutdown or cancellation, then returns once every
    /// in-flight batch is finished or released.
    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.runWorkers(untilDrained: false) }
    }

    /// Runs the workers until the queue holds nothing (no post waiting, none leased), or
    /// until cancelled. For replays and tests.
    public func runUntilDrained() async throws {
        await runWorkers(untilDrained: true)
    }

    private func runWorkers(untilDrained: Bool) async {
        logger.info("consumer starting", metadata: [
            "workers": "\(configuration.workers)", "batch": "\(configuration.batchSize)",
            "engine": "\(engine.name) \(engine.version)",
        ])
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.sampleQueue() }
            await withTaskGroup(of: Void.self) { workers in
                for index in 1...configuration.workers {
                    workers.addTask { await self.work(name: "\(self.configuration.workerName)-\(index)",
                                                      untilDrained: untilDrained) }
                }
            }
            group.cancelAll()
        }
        await sampleQueueOnce(interval: nil)
        let totals = progress
        logger.info("consumer stopped", metadata: [
            "batches": "\(totals.batches)", "recorded": "\(totals.recorded)",
            "duplicates": "\(totals.duplicates)", "failures": "\(totals.failures)",
        ])
    }

    // MARK: - Worker loop

    private func work(name: String, untilDrained: Bool) async {
        var logger = self.logger
        logger[metadataKey: "worker"] = "\(name)"
        var idle = IdleBackoff(initial: configuration.idleBackoff, maximum: configuration.maxIdleBackoff)
        while !Task.isCancelled {
            let leases: [QueueLease]
            do {
                leases = try await queue.claim(limit: configuration.batchSize, lease: configuration.lease,
                                               worker: name)
            } catch {
                if Task.isCancelled { return }
                metrics.errors.increment()
                logger.warning("claim failed; retrying", metadata: ["error": "\(error)"])
                guard await pause(configuration.errorBackoff) else { return }
                continue
            }
            if leases.isEmpty {
                if untilDrained, await isDrained() { return }
                guard await pause(idle.next()) else { return }
                continue
            }
            idle.reset()
            // Shielded from our cancellation: a shutdown lets the batch run to its end
            // (acknowledged or released) instead of abandoning it between two steps.
            await Task { await self.process(leases, logger: logger) }.value
        }
    }

    /// The batch's results in lease order: the engine's for posts the language gate admits,
    /// `unscored` for the others; nil when the engine broke its count contract.
    private func score(_ leases: [QueueLease]) -> [SentimentResult]? {
        let admitted = leases.indices.filter { gate.admits(leases[$0].post.lang) }
        if admitted.count == leases.count {  // the usual batch: no copy, no merge
            let results = engine.score(leases.map(\.post.text))
            return results.count == leases.count ? results : nil
        }
        let results = engine.score(admitted.map { leases[$0].post.text })
        guard results.count == admitted.count else { return nil }
        var merged = Array(repeating: SentimentResult.unscored, count: leases.count)
        for (index, result) in zip(admitted, results) { merged[index] = result }
        return merged
    }

    /// Scores, records and acknowledges one batch; on failure hands it back to the queue.
    private func process(_ leases: [QueueLease], logger: Logger) async {
        let started = ContinuousClock.now
        let redeliveries = leases.reduce(0) { $0 + ($1.attempt > 1 ? 1 : 0) }
        if redeliveries > 0 { metrics.redeliveries.increment(by: redeliveries) }
        guard let results = score(leases) else {
            await fail(leases, reason: "engine \(engine.name) returned a result count unlike its text count", logger: logger)
            return
        }
        let scoredAt = now()
        let scored = zip(leases, results).map { lease, result in
            ScoredPost(post: lease.post, sentiment: result, engine: engine.name, engineVersion: engine.version,
                       scoredAt: scoredAt)
        }
        let outcome: RecordOutcome
        do {
            guard let recorded = try await settle(scored, leases: leases, logger: logger) else { return }
            outcome = recorded
        } catch {
            await recover(scored, leases: leases, batchError: error, logger: logger)
            return
        }
        counter.update {
            $0.batches += 1
            $0.recorded += outcome.inserted
            $0.duplicates += outcome.duplicates
            $0.redeliveries += redeliveries
        }
        metrics.batches.increment()
        metrics.posts.increment(by: outcome.inserted)
        if outcome.duplicates > 0 { metrics.duplicates.increment(by: outcome.duplicates) }
        let unscored = results.reduce(0) { $0 + ($1.label == .unscored ? 1 : 0) }
        if unscored > 0 { metrics.unscored.increment(by: unscored) }
        metrics.batchDuration.recordNanoseconds(Self.nanoseconds(ContinuousClock.now - started))
        logger.debug("batch done", metadata: ["posts": "\(leases.count)", "new": "\(outcome.inserted)"])
    }

    /// A batch could not be recorded. If the store is down, nobody is to blame: hand the
    /// batch back without a failure and wait. Otherwise find the posts the store rejects
    /// by recording them one at a time, so one bad post cannot dead-letter its batch.
    private func recover(_ scored: [ScoredPost], leases: [QueueLease], batchError: Error, logger: Logger) async {
        metrics.errors.increment()
        do {
            try await store.ping()
        } catch {
            logger.warning("store unreachable; batch handed back", metadata: ["error": "\(batchError)"])
            await release(leases, failure: nil, logger: logger)
            counter.update { $0.deferred += leases.count }
            _ = await pause(configuration.errorBackoff)
            return
        }
        logger.warning("batch rejected; recording its posts one by one", metadata: ["error": "\(batchError)"])
        var inserted = 0
        var duplicates = 0
        for (post, lease) in zip(scored, leases) {
            do {
                guard let outcome = try await settle([post], leases: [lease], logger: logger) else { continue }
                inserted += outcome.inserted
                duplicates += outcome.duplicates
            } catch {
                await fail([lease], reason: "record failed: \(error)", logger: logger)
            }
        }
        counter.update {
            $0.batches += 1
            $0.recorded += inserted
            $0.duplicates += duplicates
        }
        metrics.batches.increment()
        metrics.posts.increment(by: inserted)
    }

    private func fail(_ leases: [QueueLease], reason: String, logger: Logger) async {
        logger.warning("posts failed", metadata: ["posts": "\(leases.count)", "reason": "\(reason)"])
        counter.update { $0.failures += leases.count }
        metrics.failures.increment(by: leases.count)
        await release(leases, failure: reason, logger: logger)
    }

    /// Records and acknowledges; nil when the lease was lost (another worker has the batch
    /// and records it). Throws only if recording failed.
    private func settle(_ scored: [ScoredPost], leases: [QueueLease], logger: Logger) async throws -> RecordOutcome? {
        do {
            return try await recorder.record(scored, acknowledging: leases)
        } catch let error as RecordedButNotAcknowledged {
            // Already recorded: the leases expire, the posts come back, the store
            // recognises them as duplicates. Nothing is counted twice.
            metrics.errors.increment()
            logger.warning("acknowledge failed; posts will be redelivered and deduplicated",
                           metadata: ["error": "\(error.underlying)"])
            return error.outcome
        } catch is LeaseLost {
            counter.update { $0.leasesLost += leases.count }
            logger.notice("lease lost before the batch was recorded; another worker records it",
                          metadata: ["posts": "\(leases.count)"])
            return nil
        }
    }

    private func release(_ leases: [QueueLease], failure: String?, logger: Logger) async {
        guard !leases.isEmpty else { return }
        do {
            try await queue.release(leases, failure: failure)
        } catch {
            // The leases expire and the posts come back anyway.
            metrics.errors.increment()
            logger.warning("release failed; posts return when their lease expires", metadata: ["error": "\(error)"])
        }
    }

    // MARK: - Queue sampling

    private func isDrained() async -> Bool {
        guard let stats = try? await queue.stats() else { return false }
        return stats.pending == 0 && stats.leased == 0
    }

    /// Samples the queue every `statsInterval` until cancelled.
    private func sampleQueue() async {
        var last = (ContinuousClock.now, counter.snapshot.recorded)
        while await pause(configuration.statsInterval) {
            let recorded = counter.snapshot.recorded
            let elapsed = (ContinuousClock.now - last.0).inSeconds
            if elapsed > 0 { metrics.postsPerSecond.record(Double(recorded - last.1) / elapsed) }
            last = (ContinuousClock.now, recorded)
            await sampleQueueOnce(interval: configuration.statsInterval)
        }
    }

    private func sampleQueueOnce(interval: Duration?) async {
        guard let stats = try? await queue.stats() else { return }
        metrics.lag.record(stats.oldestPendingAge ?? 0)
        metrics.pending.record(stats.pending)
        metrics.leased.record(stats.leased)
        metrics.deadLetters.record(stats.deadLettered)
        if interval != nil, let lag = stats.oldestPendingAge, lag > 60 {
            logger.notice("consumer lagging", metadata: ["lag_seconds": "\(Int(lag))", "pending": "\(stats.pending)"])
        }
    }

    /// Sleeps; false when the task was cancelled meanwhile.
    private func pause(_ duration: Duration) async -> Bool {
        do {
            try await Task.sleep(for: duration)
            return true
        } catch {
            return false
        }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}
