import Foundation
import PipelineModel
import Storage
import Testing

/// The semantics every `AlertStore` must have, run by each implementation's test target
/// against fresh, empty stores (as `SentimentStoreContract` is).
public enum AlertStoreContract {
    /// Builds an empty store.
    public typealias Factory = @Sendable () async throws -> any AlertStore

    /// One property of the contract.
    public enum Check: String, CaseIterable, Sendable, CustomStringConvertible {
        case laterTransitionsReplaceEarlierOnes
        case alertsFilterByRangeAndKeyword
        case deliveredTransitionsAreQueuedOncePerTarget
        case dueDeliveriesWaitForTheirTime
        case failedDeliveriesCountAttemptsAndWait

        public var description: String { rawValue }
    }

    static let t0 = Date(timeIntervalSince1970: 1_767_225_600)

    /// An alert of `keyword` starting `minute` minutes after t0, in `state`, lasting `minutes`.
    public static func alert(_ id: String, keyword: String = "swift", minute: Int = 0, minutes: Int = 1,
                             state: AlertState = .started, observed: Double = 100) -> Alert {
        Alert(id: id, keyword: keyword, kind: .volumeSpike, state: state,
              start: t0.addingTimeInterval(TimeInterval(minute * 60)),
              end: t0.addingTimeInterval(TimeInterval((minute + minutes) * 60)),
              observed: observed, expected: 10, threshold: 25.8)
    }

    /// Runs one check against a fresh store from `make`.
    public static func run(_ check: Check, make: Factory) async throws {
        let store = try await make()
        switch check {
        case .laterTransitionsReplaceEarlierOnes: try await laterTransitionsReplaceEarlierOnes(store)
        case .alertsFilterByRangeAndKeyword: try await alertsFilterByRangeAndKeyword(store)
        case .deliveredTransitionsAreQueuedOncePerTarget: try await deliveredTransitionsAreQueuedOncePerTarget(store)
        case .dueDeliveriesWaitForTheirTime: try await dueDeliveriesWaitForTheirTime(store)
        case .failedDeliveriesCountAttemptsAndWait: try await failedDeliveriesCountAttemptsAndWait(store)
        }
    }

    public static let everything = DateInterval(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 4e9))

    static func laterTransitionsReplaceEarlierOnes(_ store: any AlertStore) async throws {
        try await store.record(alert("a"), deliverTo: [], now: t0)
        try await store.record(alert("a", minutes: 3, state: .updated, observed: 300), deliverTo: [], now: t0)
        try await store.record(alert("a", minutes: 3, state: .ended, observed: 300), deliverTo: [], now: t0)
        // A restart re-detecting the start must not undo the end.
        try await store.record(alert("a"), deliverTo: [], now: t0)
        let stored = try await store.alerts(in: everything, keyword: nil)
        #expect(stored == [alert("a", minutes: 3, state: .ended, observed: 300)], "\(stored)")
    }

    static func alertsFilterByRangeAndKeyword(_ store: any AlertStore) async throws {
        try await store.record(alert("late", minute: 30, minutes: 5), deliverTo: [], now: t0)
        try await store.record(alert("early", minute: 0, minutes: 5), deliverTo: [], now: t0)
        try await store.record(alert("other", keyword: "rust", minute: 10), deliverTo: [], now: t0)
        #expect(try await store.alerts(in: everything, keyword: nil).map(\.id) == ["early", "other", "late"])
        #expect(try await store.alerts(in: everything, keyword: "swift").map(\.id) == ["early", "late"])
        // Overlap: an episode ending at minute 5 is not in a range from minute 5.
        let from5 = DateInterval(start: t0.addingTimeInterval(300), end: t0.addingTimeInterval(1_860))
        #expect(try await store.alerts(in: from5, keyword: nil).map(\.id) == ["other", "late"])
    }

    static func deliveredTransitionsAreQueuedOncePerTarget(_ store: any AlertStore) async throws {
        let targets = ["http://127.0.0.1:1/a", "http://127.0.0.1:1/b"]
        try await store.record(alert("a"), deliverTo: targets, now: t0)
        try await store.record(alert("a", minutes: 2, state: .updated), deliverTo: targets, now: t0)
        #expect(try await store.pendingDeliveries() == 2, "an update is stored, not delivered")
        let due = try await store.dueDeliveries(at: t0, limit: 10)
        #expect(Set(due.map(\.target)) == Set(targets) && due.allSatisfy { $0.key == "a:started" && $0.attempts == 0 })
        for delivery in due { try await store.markDelivered(delivery) }
        #expect(try await store.pendingDeliveries() == 0)
        // Detected again after a restart: delivered already, not queued again.
        try await store.record(alert("a"), deliverTo: targets, now: t0)
        #expect(try await store.pendingDeliveries() == 0)
        try await store.record(alert("a", minutes: 2, state: .ended), deliverTo: targets, now: t0)
        try await store.record(alert("a", minutes: 2, state: .ended), deliverTo: targets, now: t0)
        let ended = try await store.dueDeliveries(at: t0, limit: 10)
        #expect(ended.count == 2 && ended.allSatisfy { $0.key == "a:ended" && $0.alert.end == t0.addingTimeInterval(120) })
    }

    static func dueDeliveriesWaitForTheirTime(_ store: any AlertStore) async throws {
        try await store.record(alert("second", minute: 1), deliverTo: ["http://r/"], now: t0.addingTimeInterval(5))
        try await store.record(alert("first"), deliverTo: ["http://r/"], now: t0)
        try await store.record(alert("future"), deliverTo: ["http://r/"], now: t0.addingTimeInterval(60))
        #expect(try await store.dueDeliveries(at: t0.addingTimeInterval(10), limit: 10).map(\.alert.id) == ["first", "second"])
        #expect(try await store.dueDeliveries(at: t0.addingTimeInterval(10), limit: 1).map(\.alert.id) == ["first"])
        #expect(try await store.pendingDeliveries() == 3)
    }

    static func failedDeliveriesCountAttemptsAndWait(_ store: any AlertStore) async throws {
        try await store.record(alert("a"), deliverTo: ["http://r/"], now: t0)
        let first = try #require(try await store.dueDeliveries(at: t0, limit: 1).first)
        try await store.markFailed(first, error: "HTTP 503", retryAt: t0.addingTimeInterval(2))
        #expect(try await store.dueDeliveries(at: t0.addingTimeInterval(1), limit: 10).isEmpty)
        let again = try #require(try await store.dueDeliveries(at: t0.addingTimeInterval(2), limit: 10).first)
        #expect(again.attempts == 1 && again.lastError == "HTTP 503" && again.key == "a:started")
        try await store.markDelivered(again)
        #expect(try await store.pendingDeliveries() == 0)
    }
}
