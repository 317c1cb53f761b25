import Foundation
import Logging
import Synchronization
import PipelineModel
import Storage
import Prometheus
import ServiceLifecycle

/// Holds the process's one subscription to the store's change feed and fans every
/// change out to any number of SSE clients.
///
/// Each client gets its own bounded buffer (newest kept): a stalled browser only loses
/// refresh hints, and the store subscription never waits for a client.
public final class ChangeBroadcaster: Service, Sendable {
    private struct Client {
        var keyword: String?
        var continuation: AsyncStream<LiveEvent>.Continuation
    }

    private struct State {
        var clients: [Int: Client] = [:]
        var nextID = 0
        var finished = false
    }

    private let store: any SentimentStore
    private let bufferSize: Int
    private let heartbeat: Duration
    private let logger: Logger
    private let state = Mutex(State())
    private let clientsGauge: Gauge
    private let subscribedGauge: Gauge
    private let dropped: Counter
    private let delivered: Counter

    /// A broadcaster for `store`; it subscribes when run as a service.
    public init(store: any SentimentStore, bufferSize: Int, heartbeat: Duration,
                metrics: PrometheusCollectorRegistry, logger: Logger) {
        self.store = store
        self.bufferSize = max(1, bufferSize)
        self.heartbeat = heartbeat
        self.logger = logger
        self.clientsGauge = metrics.makeGauge(descriptor: .init(
            namespace: "dashboard", metricName: "sse", unitName: "clients", helpText: "Open Server-Sent Events streams"))
        self.subscribedGauge = metrics.makeGauge(descriptor: .init(
            namespace: "dashboard", metricName: "store", unitName: "subscribed",
            helpText: "1 while the change feed subscription is open"))
        self.dropped = metrics.makeCounter(descriptor: .init(
            namespace: "dashboard", metricName: "sse_events_dropped", unitName: "total",
            helpText: "Events dropped because a client's buffer was full"))
        self.delivered = metrics.makeCounter(descriptor: .init(
            namespace: "dashboard", metricName: "sse_events_queued", unitName: "total",
            helpText: "Events queued to clients"))
    }

    /// Registers a client following `keyword` (nil: every keyword). The stream ends when
    /// the broadcaster shuts down; call `remove` when the client goes away.
    public func add(keyword: String?) -> (id: Int, events: AsyncStream<LiveEvent>) {
        let (stream, continuation) = AsyncStream.makeStream(of: LiveEvent.self,
                                                            bufferingPolicy: .bufferingNewest(bufferSize))
        let id: Int? = state.withLock { state in
            guard !state.finished else { return nil }
            let id = state.nextID
            state.nextID += 1
            state.clients[id] = Client(keyword: keyword, continuation: continuation)
            return id
        }
        guard let id else {
            continuation.finish()
            return (-1, stream)
        }
        clientsGauge.increment()
        return (id, stream)
    }

    /// Forgets a client.
    public func remove(_ id: Int) {
        let client = state.withLock { $0.clients.removeValue(forKey: id) }
        if let client {
            client.continuation.finish()
            clientsGauge.decrement()
        }
    }

    /// Sends `event` to every client that follows one of its keywords.
    public func publish(_ event: LiveEvent) {
        let targets = state.withLock { state in
            state.clients.values.filter { event.concerns($0.keyword) }.map(\.continuation)
        }
        for continuation in targets {
            switch continuation.yield(event) {
            case .dropped: dropped.increment()
            case .enqueued: delivered.increment()
            case .terminated: break
            @unknown default: break
            }
        }
    }

    /// Follows the store's change feed until shutdown, re-subscribing after a failure or
    /// an ended feed, and sends keep-alives meanwhile.
    public func run() async throws {
        // Sleeps and the feed are cancelled as soon as shutdown begins.
        _ = await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.followChanges() }
                group.addTask { await self.sendHeartbeats() }
            }
        }
        let clients = state.withLock { state in
            state.finished = true
            defer { state.clients.removeAll() }
            return Array(state.clients.values)
        }
        for client in clients {
            client.continuation.finish()
            clientsGauge.decrement()
        }
    }

    private func followChanges() async {
        // 0.5 s, 1 s, 2 s … up to 30 s between attempts; a subscription that worked starts over.
        var backoff = Backoff.doubling(initial: .milliseconds(500), maximum: .seconds(30))
        while !Task.isCancelled {
            do {
                let changes = try await store.changes()
                subscribedGauge.set(to: 1)
                backoff.reset()
                for try await change in changes {
                    publish(LiveEvent(change))
                }
                subscribedGauge.set(to: 0)
                if Task.isCancelled { return }
                logger.info("store change feed ended; subscribing again")
            } catch {
                subscribedGauge.set(to: 0)
                if Task.isCancelled { return }
                logger.warning("store change feed failed; retrying", metadata: ["error": "\(error)"])
            }
            do { try await Task.sleep(for: backoff.next()) } catch { return }
        }
    }

    private func sendHeartbeats() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: heartbeat)
            } catch { return }
            publish(.heartbeat)
        }
    }
}
