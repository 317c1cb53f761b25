import Dashboard
import Foundation
import Logging
import MongoKit
import MongoStorage
import PipelineModel
import Storage
import ServiceLifecycle
import Wiring

/// The store the dashboard serves: MongoDB (the deployment), or in memory (demo, tests).
enum DashboardStore {
    /// Opens the MongoDB store without waiting for the server: the client connects lazily.
    /// The returned service creates the indexes once the server answers. Until then
    /// `/healthz` answers 503 and pages fail, but the process stays up, so a dashboard
    /// started before its database (compose, Kubernetes) recovers on its own.
    ///
    /// Throws `CommandFailure` for a URI that cannot be parsed.
    static func mongo(uri: String, database: String, logger: Logger,
                      after ready: @escaping @Sendable () async throws -> Void) throws
        -> (store: MongoSentimentStore, alerts: MongoAlertStore, preparation: any Service) {
        let backend = try MongoBackend(uri: uri, database: database, appName: "dashboard", logger: logger)
        let store = backend.store
        // The alerts a detecting process (`pipeline --mongo` with alerts on) keeps there.
        let alerts = MongoAlertStore(database: backend.client.database(backend.databaseName), logger: logger)
        let preparation = ClosureService {
            try await ready()
            await cancelWhenGracefulShutdown { await prepareWhenReachable(store, logger: logger) }
        }
        return (store, alerts, preparation)
    }

    /// Creates the store's indexes (idempotent), retrying with backoff while the server
    /// is away; logs once when it starts waiting and once when it succeeded.
    private static func prepareWhenReachable(_ store: MongoSentimentStore, logger: Logger) async {
        var backoff = Backoff.doubling(initial: .milliseconds(500), maximum: .seconds(30))
        while !Task.isCancelled {
            do {
                try await store.prepare()
                if backoff.failures > 0 { logger.notice("MongoDB reachable again; indexes ready") }
                return
            } catch {
                if backoff.failures == 0 {
                    logger.warning("MongoDB not reachable; serving anyway, /healthz answers 503 until it is",
                                   metadata: ["reason": "\(reason(for: error))"])
                }
            }
            try? await Task.sleep(for: backoff.next())
        }
    }

    /// The one-line category `/healthz` shows for a failed store call: the kind of
    /// MongoDB failure, never its message (which can name hosts and users).
    static func reason(for error: any Error) -> String {
        guard let error = error as? MongoError else { return "store unavailable" }
        switch error.kind {
        case .unreachable: return "store unavailable: MongoDB unreachable (no server selected in time)"
        case .authenticationFailed: return "store unavailable: MongoDB refused the credentials"
        case .timeout: return "store unavailable: MongoDB timed out"
        case .connection: return "store unavailable: MongoDB connection failed"
        default: return "store unavailable: MongoDB \(error.kind)"
        }
    }

    /// An in-memory store and, with `demo`, the service that fills it with a week of
    /// synthetic posts (once `ready` returns) and then adds live posts until shutdown.
    static func inMemory(demo: Bool, after ready: @escaping @Sendable () async throws -> Void)
        -> (store: InMemorySentimentStore, feed: (any Service)?) {
        let store = InMemorySentimentStore()
        guard demo else { return (store, nil) }
        let feed = ClosureService {
            try await ready()
            var feed = DemoFeed()
            let now = Date()
            // Dense last day, sparse week before it: realistic shape, quick to generate.
            _ = try await store.record(feed.posts(from: now.addingTimeInterval(-7 * 86_400),
                                                  to: now.addingTimeInterval(-86_400), perMinute: 0.15))
            _ = try await store.record(feed.posts(from: now.addingTimeInterval(-86_400), to: now, perMinute: 1.5))
            var tick = 0
            while true {
                // Ends at graceful shutdown (the sleep is cancelled) or cancellation.
                do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(2)) } } catch { return }
                tick += 1
                // About 1.7 posts per keyword and minute, like the generated history.
                guard tick % 3 == 0 else { continue }
                let index = tick / 3 % feed.keywords.count
                _ = try? await store.record([feed.post(keyword: feed.keywords[index], index: index, at: Date())])
            }
        }
        return (store, feed)
    }
}
