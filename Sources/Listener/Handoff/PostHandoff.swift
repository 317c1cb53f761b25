import Foundation
import Logging
import Metrics
import PipelineModel
import ServiceLifecycle

/// The hand-off between the read loop and the queue. The read loop calls `submit`, which
/// only appends to a buffer and never waits for the queue. A flusher task sends batches
/// (by size, or every `flushInterval`) to the `PostSink` (the queue). When the queue fails, or is
/// so slow that more than `maximumBuffered` posts pile up, posts go to the `SpillFile`;
/// while the spill file holds anything, new posts queue behind it there, and the flusher
/// drains it front-first once the queue accepts again. Nothing is dropped; a batch that
/// may have reached the queue before failing is re-sent, and the queue ignores the
/// duplicate ids.
///
/// As a `Service` it flushes until graceful shutdown (or cancellation), then makes one
/// last attempt to send everything and spills what the queue did not take: when `run`
/// returns, every submitted post is in the queue or in the spill file.
public actor PostHandoff: Service {
    /// Tunables.
    public struct Configuration: Sendable {
        /// Posts per enqueue call.
        public var batchSize = 500
        /// Longest a post waits in the buffer before a partial batch is sent.
        public var flushInterval: Duration = .milliseconds(200)
        /// Posts held in memory while the queue is busy before spilling to disk.
        public var maximumBuffered = 5_000
        /// Pause after a failed enqueue before trying again.
        public var retryInterval: Duration = .seconds(1)

        /// Creates the defaults.
        public init() {}
    }

    private let queue: any PostSink
    private let spill: SpillFile
    private let configuration: Configuration
    private let logger: Logger
    private var buffer: [Post] = []
    private var retryNotBefore: ContinuousClock.Instant?
    private var flushing = false
    /// Callers waiting for the flush in progress to end (exit drain).
    private var flushWaiters: [CheckedContinuation<Void, Never>] = []
    /// Producers waiting for room in the buffer (`submitWhenRoom`).
    private var roomWaiters: [CheckedContinuation<Void, Never>] = []
    /// Set once `run` has drained for exit: later posts go straight to the spill file.
    private var closed = false
    private var wakeup: AsyncStream<Void>.Continuation?
    private let enqueued = Counter(label: "listener_posts_enqueued_total")
    private let spilled = Counter(label: "listener_posts_spilled_total")
    private let queueDuplicates = Counter(label: "listener_posts_queue_duplicates_total")
    private let enqueueFailures = Counter(label: "listener_enqueue_failures_total")
    /// Totals, for reports and tests.
    public private(set) var totals = Totals()

    /// Running totals of the hand-off.
    public struct Totals: Sendable, Hashable {
        /// Posts the queue accepted as new.
        public var enqueued = 0
        /// Posts the queue already had.
        public var duplicates = 0
        /// Posts written to the spill file.
        public var spilled = 0
        /// Failed enqueue calls.
        public var failures = 0
        /// Posts read back from the spill file and accepted by the queue (new or not).
        public var drained = 0
    }

    /// Creates a hand-off; posts left in `spill` by an earlier run are drained first.
    public init(queue: any PostSink, spill: SpillFile, configuration: Configuration = Configuration(), logger: Logger) {
        self.queue = queue
        self.spill = spill
        self.configuration = configuration
        self.logger = logger
    }

    /// Takes posts from the read loop; never waits for the queue.
    public func submit(_ posts: [Post]) {
        guard !posts.isEmpty else { return }
        if closed || spill.hasPending {
            spillNow(posts)
            return
        }
        buffer += posts
        if buffer.count > configuration.maximumBuffered {
            let overflow = buffer
            buffer.removeAll(keepingCapacity: true)
            spillNow(overflow)
        } else if buffer.count >= configuration.batchSize {
            wakeup?.yield()
        }
    }

    /// Like `submit`, but first waits while the buffer is full and the queue is keeping up,
    /// so a producer that can pause (a replay) is slowed to the queue's pace instead of
    /// spilling to disk. While the queue fails, posts spill as with `submit`.
    public func submitWhenRoom(_ posts: [Post]) async {
        while !closed, !spill.hasPending, retryNotBefore == nil,
              !buffer.isEmpty, buffer.count + posts.count > configuration.maximumBuffered {
            wakeup?.yield()
            await withCheckedContinuation { roomWaiters.append($0) }
        }
        submit(posts)
    }

    /// Flushes (by size, woken by `submit`, or every `flushInterval`) until graceful
    /// shutdown or cancellation; then sends what is left, spilling what the queue refuses.
    public func run() async {
        let (signals, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        wakeup = continuation
        let interval = configuration.flushInterval
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                continuation.yield()
            }
        }
        // Shutdown ends the loop between two flushes, never in the middle of one.
        await withGracefulShutdownHandler {
            for await _ in signals {
                await flush()
            }
        } onGracefulShutdown: {
            continuation.finish()
        }
        ticker.cancel()
        wakeup = nil
        await drainForExit()
    }

    /// The last flush: everything buffered to the queue if it takes it, else to the spill
    /// file; then later submissions go straight to the spill file.
    private func drainForExit() async {
        while flushing {
            await withCheckedContinuation { flushWaiters.append($0) }
        }
        await flush(ignoringRetryDelay: true)
        if !buffer.isEmpty {
            let rest = buffer
            buffer.removeAll()
            spillNow(rest)
        }
        closed = true
        wakeRoomWaiters()
        if !buffer.isEmpty {
            logger.error("posts could not be queued nor written to the spill file", metadata: [
                "posts": "\(buffer.count)", "spill": "\(spill.url.path)",
            ])
        }
    }

    /// Sends everything buffered and drains the spill file, as far as the queue allows
    /// now. Returns true when nothing is left behind.
    @discardableResult
    public func flush(ignoringRetryDelay: Bool = false) async -> Bool {
        guard !flushing else { return false }
        flushing = true
        defer {
            flushing = false
            wakeRoomWaiters()
            if !flushWaiters.isEmpty { flushWaiters.removeFirst().resume() }
        }
        if !ignoringRetryDelay, let notBefore = retryNotBefore, ContinuousClock.now < notBefore { return false }
        while true {
            if spill.hasPending {
                if !buffer.isEmpty {
                    // Keep order: buffered posts go behind what is already spilled.
                    let pending = buffer
                    buffer.removeAll(keepingCapacity: true)
                    spillNow(pending)
                }
                guard let (posts, bytes) = try? spill.peek(limit: configuration.batchSize) else { return false }
                if posts.isEmpty {
                    try? spill.commit(consumedBytes: bytes)
                    if bytes == 0 { return false }
                    continue
                }
                guard await send(posts) else { return false }
                totals.drained += posts.count
                do { try spill.commit(consumedBytes: bytes) } catch {
                    logger.error("cannot update the spill file offset", metadata: ["error": "\(error)"])
                    return false
                }
            } else if !buffer.isEmpty {
                let batch = Array(buffer.prefix(configuration.batchSize))
                buffer.removeFirst(batch.count)
                if !(await send(batch)) {
                    // Spill the rest of the buffer too, behind the failed batch, so the
                    // order of arrival survives the detour through the disk.
                    let rest = buffer
                    buffer.removeAll(keepingCapacity: true)
                    spillNow(batch + rest)
                    return false
                }
                wakeRoomWaiters()
            } else {
                return true
            }
        }
    }

    private func wakeRoomWaiters() {
        guard !roomWaiters.isEmpty else { return }
        let waiters = roomWaiters
        roomWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }

    /// True when nothing waits in memory or in the spill file.
    public var isDrained: Bool { buffer.isEmpty && !spill.hasPending }

    private func send(_ posts: [Post]) async -> Bool {
        do {
            let outcome = try await queue.enqueue(posts)
            totals.enqueued += outcome.accepted
            totals.duplicates += outcome.duplicates
            enqueued.increment(by: outcome.accepted)
            queueDuplicates.increment(by: outcome.duplicates)
            if retryNotBefore != nil {
                logger.info("queue accepts posts again; draining the spill file")
                retryNotBefore = nil
            }
            return true
        } catch {
            totals.failures += 1
            enqueueFailures.increment()
            if retryNotBefore == nil {
                logger.warning("queue unavailable; spilling posts to disk", metadata: [
                    "error": "\(error)", "spill": "\(spill.url.path)",
                ])
            }
            retryNotBefore = ContinuousClock.now + configuration.retryInterval
            return false
        }
    }

    private func spillNow(_ posts: [Post]) {
        do {
            try spill.append(posts)
            totals.spilled += posts.count
            spilled.increment(by: posts.count)
        } catch {
            // The disk failed too: keep them in memory rather than lose them.
            logger.error("cannot write the spill file; keeping posts in memory", metadata: ["error": "\(error)"])
            buffer += posts
        }
    }
}
