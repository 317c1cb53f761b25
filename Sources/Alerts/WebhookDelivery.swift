import Foundation
import Listener
import Logging
import PipelineModel
import ServiceLifecycle
import Storage

/// Delivers the alert outbox to webhooks as a `Service`: POSTs each due delivery's JSON
/// with `Idempotency-Key: <id>:<state>`; 2xx removes it from the outbox, a timeout, a
/// network failure, 408, 429 or 5xx schedule another attempt with a doubling back-off,
/// any other status gives it up (logged). The outbox is in the store, so with a
/// persistent store a delivery survives a restart; receivers de-duplicate by the key.
///
/// Nothing waits on it: detection only writes the outbox, so a dead receiver delays
/// nothing but its own deliveries (each attempt is bounded by `timeout`).
public struct WebhookDelivery: Service, Sendable {
    /// Pacing and bounds.
    public struct Configuration: Sendable {
        /// How often the outbox is looked at.
        public var pollInterval: Duration = .milliseconds(200)
        /// Longest time one attempt may take.
        public var timeout: Duration = .seconds(5)
        /// Wait after the first failed attempt (doubling after each further one)…
        public var firstRetry: Duration = .milliseconds(500)
        /// …up to this.
        public var longestRetry: Duration = .seconds(300)
        /// Deliveries attempted at once.
        public var concurrency = 8

        /// The defaults.
        public init() {}
    }

    private let store: any AlertStore
    private let configuration: Configuration
    private let now: @Sendable () -> Date
    private let logger: Logger

    /// Delivery from `store`'s outbox.
    public init(store: any AlertStore, configuration: Configuration = Configuration(),
                now: @escaping @Sendable () -> Date = Date.init, logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        let client = {
            var client = HTTPClient(token: nil)
            client.timeout = configuration.timeout
            return client
        }()
        while !Task.isShuttingDownGracefully {
            let due: [AlertDelivery]
            do {
                due = try await store.dueDeliveries(at: now(), limit: configuration.concurrency)
            } catch {
                logger.warning("cannot read the alert outbox", metadata: ["error": "\(error)"])
                due = []
            }
            if due.isEmpty {
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.pollInterval) }
                } catch {
                    return
                }
                continue
            }
            await withTaskGroup(of: Void.self) { group in
                for delivery in due {
                    group.addTask { await attempt(delivery, client: client) }
                }
            }
        }
    }

    private func attempt(_ delivery: AlertDelivery, client: HTTPClient) async {
        let outcome: String?
        var retry = true
        do {
            let response = try await client.send(url: delivery.target, jsonBody: AlertMessage(delivery.alert).json,
                                                 headers: ["Idempotency-Key: \(delivery.key)"])
            let status = response.head.status
            if (200..<300).contains(status) {
                outcome = nil
            } else {
                outcome = "HTTP \(status)"
                retry = status == 408 || status == 429 || status >= 500
            }
        } catch {
            outcome = "\(error)"
        }
        do {
            guard let outcome else {
                try await store.markDelivered(delivery)
                logger.info("alert delivered", metadata: ["key": "\(delivery.key)", "attempts": "\(delivery.attempts + 1)"])
                return
            }
            if retry {
                let wait = Self.wait(afterFailures: delivery.attempts + 1, configuration: configuration)
                try await store.markFailed(delivery, error: outcome, retryAt: now().addingTimeInterval(wait.inSeconds))
                logger.warning("alert delivery failed, will retry", metadata: [
                    "key": "\(delivery.key)", "error": "\(outcome)", "retryIn": "\(wait)",
                ])
            } else {
                try await store.markDelivered(delivery)
                logger.error("alert delivery refused, given up", metadata: ["key": "\(delivery.key)", "error": "\(outcome)"])
            }
        } catch {
            logger.warning("cannot update the alert outbox", metadata: ["error": "\(error)"])
        }
    }

    /// The wait after `failures` failed attempts: `firstRetry` doubling, capped.
    static func wait(afterFailures failures: Int, configuration: Configuration) -> Duration {
        var backoff = Backoff.doubling(initial: configuration.firstRetry, maximum: configuration.longestRetry)
        var wait = configuration.firstRetry
        for _ in 0..<min(failures, 64) { wait = backoff.next() }
        return wait
    }
}
