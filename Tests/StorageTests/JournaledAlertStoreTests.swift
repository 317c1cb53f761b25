import Foundation
import Logging
import PipelineModel
import PipelineTesting
import Storage
import Testing

/// The embedded pipeline's alert store: the contract, and what it is for — a reopened
/// journal holds the alerts and the deliveries still owed, and remembers what was queued.
@Suite struct JournaledAlertStoreTests {
    static let logger = Logger(label: "test")

    static func journal() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("alert-journal-\(UUID().uuidString)/alerts.jsonl")
    }

    @Test(arguments: AlertStoreContract.Check.allCases)
    func contract(_ check: AlertStoreContract.Check) async throws {
        try await AlertStoreContract.run(check) { try await JournaledAlertStore.open(Self.journal(), logger: Self.logger) }
    }

    @Test func aReopenedJournalOwesWhatWasNotDeliveredAndQueuesNothingTwice() async throws {
        let url = Self.journal()
        let now = Date(timeIntervalSince1970: 1_767_229_200)
        do {
            let store = try await JournaledAlertStore.open(url, logger: Self.logger)
            try await store.record(AlertStoreContract.alert("a"), deliverTo: ["http://one", "http://two"], now: now)
            try await store.record(AlertStoreContract.alert("a", minutes: 5, state: .ended), deliverTo: ["http://one"], now: now)
            let due = try await store.dueDeliveries(at: now, limit: 10)
            #expect(due.count == 3)
            try await store.markDelivered(try #require(due.first { $0.target == "http://two" }))
            let failing = try #require(due.first { $0.target == "http://one" && $0.alert.state == .started })
            try await store.markFailed(failing, error: "503", retryAt: now.addingTimeInterval(60))
        }
        let reopened = try await JournaledAlertStore.open(url, logger: Self.logger)
        #expect(try await reopened.pendingDeliveries() == 2)
        #expect(try await reopened.dueDeliveries(at: now, limit: 10).map(\.alert.state) == [.ended])
        let retried = try await reopened.dueDeliveries(at: now.addingTimeInterval(60), limit: 10)
        #expect(retried.first { $0.alert.state == .started }?.attempts == 1)
        #expect(try await reopened.alerts(in: AlertStoreContract.everything, keyword: nil).map(\.state) == [.ended])
        // A restart that detects the same transitions again queues nothing new.
        try await reopened.record(AlertStoreContract.alert("a"), deliverTo: ["http://one", "http://two"], now: now)
        #expect(try await reopened.pendingDeliveries() == 2)
    }

    @Test func aLineCutShortByACrashIsSkippedAndTheJournalGoesOn() async throws {
        let url = Self.journal()
        let now = Date(timeIntervalSince1970: 1_767_229_200)
        do {
            let store = try await JournaledAlertStore.open(url, logger: Self.logger)
            try await store.record(AlertStoreContract.alert("a"), deliverTo: ["http://one"], now: now)
        }
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"record":{"alert":{"id":"b","#.utf8))
        try handle.close()
        let reopened = try await JournaledAlertStore.open(url, logger: Self.logger)
        #expect(try await reopened.pendingDeliveries() == 1)
        try await reopened.record(AlertStoreContract.alert("c", keyword: "tea"), deliverTo: ["http://one"], now: now)
        let again = try await JournaledAlertStore.open(url, logger: Self.logger)
        #expect(again.unreadableLines == 0, "the torn line was cut off before the next append")
        #expect(try await again.alerts(in: AlertStoreContract.everything, keyword: nil).map(\.id) == ["a", "c"])
    }
}
