import Dashboard
import Foundation
import Synchronization
import PipelineModel
import Storage
import Testing

/// Posts arrive while a page is being read; the all-time total shown next to a window's
/// count must never be below it.
@Suite struct ReadSkewTests {
    /// Records `arrivals` into the wrapped store just before answering the first series query.
    final class ArrivingStore: ForwardingSentimentStore {
        let base: any SentimentStore
        private let pending: Mutex<[ScoredPost]>

        init(base: any SentimentStore, arrivals: [ScoredPost]) {
            self.base = base
            pending = Mutex(arrivals)
        }

        func series(keyword: String, in range: DateInterval,
                    resolution: BucketResolution) async throws -> [KeywordAggregate] {
            let arrivals = pending.withLock { pending in
                defer { pending = [] }
                return pending
            }
            if !arrivals.isEmpty { _ = try await base.record(arrivals) }
            return try await base.series(keyword: keyword, in: range, resolution: resolution)
        }
    }

    static var arrivals: [ScoredPost] {
        (0..<5).map { Fixtures.post("9\($0)", "just in", compound: 0.5, secondsAgo: 5) }
    }

    @Test func overviewTotalIsNeverBelowTheWindow() async throws {
        let store = ArrivingStore(base: try await Fixtures.store(), arrivals: Self.arrivals)
        let overview = try await DashboardData(store: store, now: { Fixtures.now }).overview(end: nil)
        let swift = try #require(overview.keywords.first { $0.keyword == "swift" })
        #expect(swift.window.count == 9)
        #expect(swift.totalCount == 9)
    }

    @Test func keywordPageTotalIsNeverBelowTheWindow() async throws {
        let store = ArrivingStore(base: try await Fixtures.store(), arrivals: Self.arrivals)
        let data = DashboardData(store: store, now: { Fixtures.now })
        let summary = try #require(try await data.keywordSummary("swift"))
        #expect(summary.totalCount == 4)
        let report = try await data.report(summary, range: .hour, end: nil)
        #expect(report.totals.count == 9)
        #expect(report.summary.totalCount == 9)
    }
}
