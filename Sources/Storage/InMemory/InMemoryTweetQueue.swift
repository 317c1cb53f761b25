import PipelineModel
import Foundation
import Synchronization

/// A bounded, lock-protected `TweetQueue` for one process: the embedded default of the
/// single-process pipeline and the reference implementation of the queue contract.
///
/// - Backpressure: `enqueue` suspends while `capacity` posts are held (waiting or leased).
/// - Dedupe: a post whose id is held is ignored; once acknowledged or dead-lettered the
///   id may be queued again (the store dedupes what was already recorded).
/// - Leases expire by the injected clock, so tests advance time instead of sleeping.
///   An expired lease is handed out again; acknowledging or releasing it is ignored.
/// - Only releases *with a failure reason* count against `maxFailures`; a lease that
///   merely expires (a killed worker) does not, because a crash is not the post's fault.
/// - Every operation takes one short lock per batch, never one per post.
public final class InMemoryTweetQueue: DeadLetterQueue {
    /// Limits of the queue.
    public struct Configuration: Sendable {
        /// Posts held at most (waiting + leased) before `enqueue` suspends.
        public var capacity: Int
        /// Failed attempts after which a post is dead-lettered.
        public var maxFailures: Int
        /// Dead letters kept for inspection (the count is kept regardless).
        public var deadLetterRetention: Int

        public init(capacity: Int = 100_000, maxFailures: Int = 5, deadLetterRetention: Int = 10_000) {
            precondition(capacity > 0 && maxFailures > 0 && deadLetterRetention >= 0)
            self.capacity = capacity
            self.maxFailures = maxFailures
            self.deadLetterRetention = deadLetterRetention
        }
    }

    /// A reference, so the table of entries stays small when it grows (a `Post` inline
    /// is over a hundred bytes) and an entry is updated in place, not copied out and back.
    private final class Entry {
        let post: Post
        let enqueuedAt: Date
        var deliveries = 0
        var failures = 0
        /// Token of the current lease; 0 while waiting.
        var leaseToken: UInt64 = 0

        init(post: Post, enqueuedAt: Date) {
            self.post = post
            self.enqueuedAt = enqueuedAt
        }
    }

    /// One `claim` call's leases: they share a token and an expiry.
    private struct LeaseBatch {
        var expiresAt: Date
        var ids: [String]
        /// Leases of the batch not yet acknowledged, released or expired.
        var outstanding: Int
    }

    private struct State {
        var entries = IDTable<Entry>()
        /// New posts in arrival order.
        var fresh = FIFO<String>()
        /// Released or expired posts; handed out before fresh ones.
        var retries = FIFO<String>()
        var batches: [UInt64: LeaseBatch] = [:]
        var nextToken: UInt64 = 1
        var deadLetters = FIFO<DeadLetter>()
        var deadLetteredTotal = 0
        var spaceWaiters: [UInt64: CheckedContinuation<Void, Error>] = [:]
        var cancelledWaiters: Set<UInt64> = []
        var nextWaiter: UInt64 = 0

        var waitingCount: Int { fresh.count + retries.count }
    }

    private let configuration: Configuration
    private let now: @Sendable () -> Date
    private let state = Mutex(State())

    /// A queue with the given limits; `now` is the clock leases and lag are measured by.
    public init(configuration: Configuration = Configuration(),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.now = now
    }

    public func enqueue(_ posts: [Post]) async throws -> EnqueueOutcome {
        var accepted = 0
        var duplicates = 0
        var index = posts.startIndex
        while true {
            let time = now()
            let freed: Bool = state.withLock { s in
                while index < posts.endIndex {
                    let post = posts[index]
                    if s.entries.count < configuration.capacity {
                        if s.entries.insertIfAbsent(Entry(post: post, enqueuedAt: time), forKey: post.id) != nil {
                            duplicates += 1
                        } else {
                            s.fresh.push(post.id)
                            accepted += 1
                        }
                    } else if s.entries[post.id] != nil {
                        duplicates += 1
                    } else {
                        return false
                    }
                    index += 1
                }
                return true
            }
            if freed { return EnqueueOutcome(accepted: accepted, duplicates: duplicates) }
            try await waitForSpace()
        }
    }

    public func claim(limit: Int, lease: Duration, worker: String) async throws -> [QueueLease] {
        guard limit > 0 else { return [] }
        let time = now()
        let expiresAt = time.addingTimeInterval(lease.inSeconds)
        return state.withLock { s in
            Self.redeliverExpired(&s, at: time)
            guard s.waitingCount > 0 else { return [] }
            let token = s.nextToken
            s.nextToken += 1
            let tokenText = String(token)
            var leases: [QueueLease] = []
            leases.reserveCapacity(min(limit, s.waitingCount))
            var ids: [String] = []
            ids.reserveCapacity(leases.capacity)
            while leases.count < limit, let id = s.retries.pop() ?? s.fresh.pop() {
                guard let entry = s.entries[id] else { continue }
                entry.deliveries += 1
                entry.leaseToken = token
                ids.append(id)
                leases.append(QueueLease(post: entry.post, attempt: entry.deliveries, token: tokenText,
                                         expiresAt: expiresAt))
            }
            s.batches[token] = LeaseBatch(expiresAt: expiresAt, ids: ids, outstanding: ids.count)
            return leases
        }
    }

    public func acknowledge(_ leases: [QueueLease]) async throws {
        // A batch's leases share one token and come in runs: parse it once per run, not
        // per post, and settle each run's count at once.
        var runs: [(token: UInt64, leases: ArraySlice<QueueLease>)] = []
        var start = leases.startIndex
        while start < leases.endIndex {
            let text = leases[start].token
            var end = start + 1
            while end < leases.endIndex, leases[end].token == text { end += 1 }
            if let token = UInt64(text) { runs.append((token, leases[start..<end])) }
            start = end
        }
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Error>] in
            var removed = 0
            for (token, run) in runs {
                var settled = 0
                for lease in run {
                    guard s.entries.removeValue(forKey: lease.post.id, if: { $0.leaseToken == token }) != nil else { continue }
                    settled += 1
                }
                Self.settle(&s, token: token, count: settled)
                removed += settled
            }
            return removed > 0 ? Self.takeSpaceWaiters(&s) : []
        }
        for waiter in waiters { waiter.resume() }
    }

    public func release(_ leases: [QueueLease], failure: String?) async throws {
        let time = now()
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Error>] in
            var removed = 0
            for lease in leases {
                guard let token = UInt64(lease.token), let entry = s.entries[lease.post.id],
                      entry.leaseToken == token else { continue }
                Self.settle(&s, token: token)
                entry.leaseToken = 0
                if let failure {
                    entry.failures += 1
                    if entry.failures >= configuration.maxFailures {
                        s.entries[lease.post.id] = nil
                        deadLetter(&s, DeadLetter(post: entry.post, reason: failure,
                                                  failures: entry.failures, deadLetteredAt: time))
                        removed += 1
                        continue
                    }
                }
                s.retries.push(lease.post.id)
            }
            return removed > 0 ? Self.takeSpaceWaiters(&s) : []
        }
        for waiter in waiters { waiter.resume() }
    }

    public func stats() async throws -> QueueStats {
        let time = now()
        return state.withLock { s in
            Self.redeliverExpired(&s, at: time)
            var oldest: Date?
            if let id = s.fresh.first { oldest = s.entries[id]?.enqueuedAt }
            for id in s.retries.elements {
                if let at = s.entries[id]?.enqueuedAt, oldest.map({ at < $0 }) ?? true { oldest = at }
            }
            return QueueStats(pending: s.waitingCount, leased: s.entries.count - s.waitingCount,
                              deadLettered: s.deadLetteredTotal,
                              oldestPendingAge: oldest.map { max(0, time.timeIntervalSince($0)) })
        }
    }

    public func deadLetters(limit: Int) async throws -> [DeadLetter] {
        state.withLock { s in Array(s.deadLetters.elements.reversed().prefix(max(0, limit))) }
    }

    // MARK: - Internals (all called with the lock held)

    private func deadLetter(_ s: inout State, _ letter: DeadLetter) {
        s.deadLetteredTotal += 1
        guard configuration.deadLetterRetention > 0 else { return }
        s.deadLetters.push(letter)
        if s.deadLetters.count > configuration.deadLetterRetention { _ = s.deadLetters.pop() }
    }

    /// `count` leases of batch `token` are finished; forget the batch when none is left.
    private static func settle(_ s: inout State, token: UInt64, count: Int = 1) {
        guard count > 0, var batch = s.batches[token] else { return }
        batch.outstanding -= count
        s.batches[token] = batch.outstanding > 0 ? batch : nil
    }

    /// Puts the posts of expired batches that are still leased under that batch back in line.
    /// Only in-flight batches are scanned: a handful per worker.
    private static func redeliverExpired(_ s: inout State, at time: Date) {
        let expired = s.batches.filter { $0.value.expiresAt <= time }
        for (token, batch) in expired {
            s.batches[token] = nil
            for id in batch.ids where s.entries[id]?.leaseToken == token {
                s.entries[id]?.leaseToken = 0
                s.retries.push(id)
            }
        }
    }

    private static func takeSpaceWaiters(_ s: inout State) -> [CheckedContinuation<Void, Error>] {
        guard !s.spaceWaiters.isEmpty else { return [] }
        let waiters = Array(s.spaceWaiters.values)
        s.spaceWaiters.removeAll()
        return waiters
    }

    /// Suspends until a post leaves the queue (or the task is cancelled).
    private func waitForSpace() async throws {
        let id = state.withLock { s -> UInt64 in
            s.nextWaiter += 1
            return s.nextWaiter
        }
        // A cancellation that raced with a normal wake-up leaves its mark; drop it.
        defer { state.withLock { s in _ = s.cancelledWaiters.remove(id) } }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                enum Decision { case wait, resume, cancel }
                let decision = state.withLock { s -> Decision in
                    if s.cancelledWaiters.remove(id) != nil { return .cancel }
                    if s.entries.count < configuration.capacity { return .resume }
                    s.spaceWaiters[id] = continuation
                    return .wait
                }
                switch decision {
                case .wait: break
                case .resume: continuation.resume()
                case .cancel: continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Void, Error>? in
                if let waiter = s.spaceWaiters.removeValue(forKey: id) { return waiter }
                s.cancelledWaiters.insert(id)
                return nil
            }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
