import Foundation
import PipelineModel
import Synchronization

/// The embedded `AlertStore`: alerts and outbox under one lock. Nothing survives the
/// process (the MongoDB store is the one whose outbox outlives a restart).
public final class InMemoryAlertStore: AlertStore {
    private struct State {
        var alerts: [String: Alert] = [:]
        /// Outbox by "key target".
        var outbox: [String: AlertDelivery] = [:]
        /// Every "key target" ever queued: a transition is queued once per target.
        var queued: Set<String> = []
    }

    private let state = Mutex(State())

    /// An empty store.
    public init() {}

    public func record(_ alert: Alert, deliverTo targets: [String], now: Date) async throws {
        state.withLock { s in
            if let held = s.alerts[alert.id], !alert.supersedes(held) {
                // An older transition: the stored alert stays, but a delivery may still be owed.
            } else {
                s.alerts[alert.id] = alert
            }
            guard alert.state.isDelivered else { return }
            for target in targets {
                let delivery = AlertDelivery(alert: alert, target: target, notBefore: now)
                let slot = delivery.key + " " + target
                if s.queued.insert(slot).inserted { s.outbox[slot] = delivery }
            }
        }
    }

    public func alerts(in range: DateInterval, keyword: String?) async throws -> [Alert] {
        state.withLock { s in
            s.alerts.values.filter { alert in
                (keyword == nil || alert.keyword == keyword) && alert.start < range.end && alert.end > range.start
            }
        }.sorted { ($0.start, $0.id) < ($1.start, $1.id) }
    }

    public func dueDeliveries(at now: Date, limit: Int) async throws -> [AlertDelivery] {
        let due = state.withLock { s in s.outbox.values.filter { $0.notBefore <= now } }
        return Array(due.sorted { ($0.notBefore, $0.key, $0.target) < ($1.notBefore, $1.key, $1.target) }.prefix(limit))
    }

    public func pendingDeliveries() async throws -> Int {
        state.withLock { $0.outbox.count }
    }

    public func markDelivered(_ delivery: AlertDelivery) async throws {
        _ = state.withLock { $0.outbox.removeValue(forKey: delivery.key + " " + delivery.target) }
    }

    public func markFailed(_ delivery: AlertDelivery, error: String, retryAt: Date) async throws {
        state.withLock { s in
            let slot = delivery.key + " " + delivery.target
            guard var held = s.outbox[slot] else { return }
            held.attempts += 1
            held.notBefore = retryAt
            held.lastError = error
            s.outbox[slot] = held
        }
    }
}
