import Foundation
import PipelineModel

/// One transition of one alert waiting to reach one webhook: an entry of the outbox.
public struct AlertDelivery: Sendable, Hashable, Codable {
    /// The alert as it was at the transition (its `state` is `started` or `ended`).
    public var alert: Alert
    /// The receiver's URL.
    public var target: String
    /// Attempts that failed so far.
    public var attempts: Int
    /// Not to be tried before this time.
    public var notBefore: Date
    /// Why the last attempt failed.
    public var lastError: String?

    /// A delivery as given.
    public init(alert: Alert, target: String, attempts: Int = 0, notBefore: Date, lastError: String? = nil) {
        self.alert = alert
        self.target = target
        self.attempts = attempts
        self.notBefore = notBefore
        self.lastError = lastError
    }

    /// `<id>:<state>`: the `Idempotency-Key` receivers de-duplicate by, the same on every attempt.
    public var key: String { "\(alert.id):\(alert.state.rawValue)" }
}

/// Where alerts live with their evidence, and the outbox of their deliveries: an alert is
/// recorded and its deliveries queued in one call, so a transition the detector produced
/// is delivered at least once even if the process dies before sending it.
public protocol AlertStore: Sendable {
    /// Stores the alert (by id: a later transition replaces an earlier one, never the
    /// reverse) and, for a delivered transition (`started`, `ended`), queues one delivery
    /// per target due at `now` — once per transition and target ever: recording the same
    /// transition again (a restart that detects it anew) queues nothing.
    func record(_ alert: Alert, deliverTo targets: [String], now: Date) async throws
    /// Alerts whose episode overlaps `range` (of `keyword` only, when given), by start then id.
    func alerts(in range: DateInterval, keyword: String?) async throws -> [Alert]
    /// Deliveries due at `now`, oldest `notBefore` first, at most `limit`.
    func dueDeliveries(at now: Date, limit: Int) async throws -> [AlertDelivery]
    /// Deliveries not yet made, due or not.
    func pendingDeliveries() async throws -> Int
    /// The delivery reached its receiver: it leaves the outbox for good.
    func markDelivered(_ delivery: AlertDelivery) async throws
    /// The attempt failed: one more attempt counted, tried again from `retryAt`.
    func markFailed(_ delivery: AlertDelivery, error: String, retryAt: Date) async throws
}

extension Alert {
    /// Whether `self` is a later transition of the same episode than `other`: a later
    /// end, or the same end and a later state (`ended` after the update that set it).
    public func supersedes(_ other: Alert) -> Bool {
        if end != other.end { return end > other.end }
        return state.order >= other.state.order
    }
}

extension AlertState {
    /// started < updated < ended.
    var order: Int {
        switch self {
        case .started: 0
        case .updated: 1
        case .ended: 2
        }
    }
}
