import Alerting
import Foundation
import Logging
import PipelineModel
import ServiceLifecycle
import Storage
import Synchronization

/// The detectors as a `Service`: minute buckets from a store's change feed are closed in
/// event time (`MinuteCloser`), fed to the `AlertDetector`, and every transition is
/// recorded in the `AlertStore` with its webhook deliveries queued in the same call.
///
/// It never touches the scoring path: it only reads the change feed (a slow detector
/// loses nothing but the oldest changes of its own buffer). Everything the detectors
/// hold is touched by `run`'s one loop; `finish` and clock ticks reach it as events.
public final class AlertDetection: Service, Sendable {
    private enum Event: Sendable {
        case change(StoreChange)
        case tick(Date)
        case finish(afterPosts: Int, done: AsyncStream<Void>.Continuation)
    }

    private struct State: Sendable {
        var closer: MinuteCloser
        var detector: AlertDetector
        var postsSeen = 0
        var finishing: [(afterPosts: Int, done: AsyncStream<Void>.Continuation)] = []
    }

    private let changes: AsyncThrowingStream<StoreChange, Error>
    private let store: any AlertStore
    private let targets: [String]
    private let wallClockTick: Duration?
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let events: AsyncStream<Event>
    private let inbox: AsyncStream<Event>.Continuation
    private let state: Mutex<State>
    private let recorded = Atomic<Int>(0)

    /// Detection over `changes` (subscribe before anything is recorded), recording into
    /// `store` with deliveries to `targets`. With `wallClockTick`, minutes older than the
    /// wall clock less the lateness are closed on every tick even without new posts (a
    /// live stream gone quiet still ends its episodes); a replay runs in its own time and
    /// passes nil. `now` stamps deliveries.
    public init(changes: AsyncThrowingStream<StoreChange, Error>, store: any AlertStore,
                configuration: AlertConfiguration, targets: [String], wallClockTick: Duration? = nil,
                now: @escaping @Sendable () -> Date = Date.init, logger: Logger) {
        self.changes = changes
        self.store = store
        self.targets = targets
        self.wallClockTick = wallClockTick
        self.now = now
        self.logger = logger
        (events, inbox) = AsyncStream.makeStream(of: Event.self)
        state = Mutex(State(closer: MinuteCloser(latenessMinutes: configuration.latenessMinutes),
                            detector: AlertDetector(configuration: configuration)))
    }

    /// Alert transitions recorded so far.
    public var transitionsRecorded: Int { recorded.load(ordering: .relaxed) }

    /// Waits until the change feed has brought `posts` posts (everything a finished replay
    /// recorded), then closes every minute held — the end of a replay. Returns at once when
    /// detection stopped.
    public func finish(afterPosts posts: Int) async {
        let (done, signal) = AsyncStream.makeStream(of: Void.self)
        inbox.yield(.finish(afterPosts: posts, done: signal))
        for await _ in done { break }
    }

    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [changes, inbox, logger] in
                do {
                    for try await change in changes { inbox.yield(.change(change)) }
                } catch is CancellationError {
                } catch {
                    // Detection stops; scoring and delivery go on (the error is the store's to report).
                    logger.error("alert detection lost the store's change feed", metadata: ["error": "\(error)"])
                }
            }
            if let wallClockTick {
                group.addTask { [inbox, now] in
                    while (try? await Task.sleep(for: wallClockTick)) != nil {
                        inbox.yield(.tick(now()))
                    }
                }
            }
            for await event in events.cancelOnGracefulShutdown() {
                await handle(event)
            }
            group.cancelAll()
        }
        state.withLock { s in
            for waiter in s.finishing { waiter.done.finish() }
            s.finishing = []
        }
    }

    private func handle(_ event: Event) async {
        let alerts: [Alert] = state.withLock { s in
            var closed: [(minute: Int64, buckets: [KeywordAggregate])] = []
            var through: Int64?
            switch event {
            case .change(.posts(let posts)):
                s.postsSeen += posts.count
            case .change(.aggregates(let buckets)):
                for bucket in buckets { s.closer.observe(bucket) }
                closed = s.closer.closable()
            case .tick(let date):
                let minute = AlertDetector.minute(of: date) - Int64(s.detector.configuration.latenessMinutes) - 1
                closed = s.closer.close(through: minute)
                through = minute
            case .finish(let posts, let done):
                s.finishing.append((posts, done))
            }
            if s.finishing.contains(where: { $0.afterPosts <= s.postsSeen }) {
                closed += s.closer.closeAll()
            }
            var alerts = closed.flatMap { s.detector.close(minute: $0.minute, buckets: $0.buckets) }
            // A clock tick past the last minute with posts: the quiet minutes count too.
            if let through { alerts += s.detector.close(minute: through, buckets: []) }
            return alerts
        }
        for alert in alerts { await record(alert) }
        let ready = state.withLock { s in
            let ready = s.finishing.filter { $0.afterPosts <= s.postsSeen }
            s.finishing.removeAll { $0.afterPosts <= s.postsSeen }
            return ready
        }
        for waiter in ready { waiter.done.finish() }
    }

    private func record(_ alert: Alert) async {
        if alert.state.isDelivered {
            logger.notice("alert \(alert.state.rawValue)", metadata: [
                "id": "\(alert.id)", "keyword": "\(alert.keyword)", "kind": "\(alert.kind.rawValue)",
                "summary": "\(alert.summary)",
            ])
        }
        do {
            try await store.record(alert, deliverTo: targets, now: now())
            recorded.add(1, ordering: .relaxed)
        } catch {
            logger.error("cannot record an alert", metadata: ["id": "\(alert.id)", "error": "\(error)"])
        }
    }
}
