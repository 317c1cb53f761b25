import Foundation
import PipelineModel
import Storage
import PipelineTesting
import Testing

/// The in-memory store's time retention: posts and minute buckets go, hourly roll-ups and
/// all-time totals stay, and time is the posts' own.
@Suite struct InMemoryRetentionTests {
    /// 2025-01-01T00:00:00Z, an hour boundary (before the wall clock, which caps the horizon).
    let t0 = 1_735_689_600
    let everything = DateInterval(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 4_000_000_000))

    func store(retention: Int = 3600, hourly: Int? = 2 * 86_400) -> InMemorySentimentStore {
        InMemorySentimentStore(configuration: .init(retention: .seconds(retention), hourlyRetention: hourly.map { .seconds($0) }))
    }

    /// Posts every ten minutes over two hours, one batch each.
    func twoHours(into store: InMemorySentimentStore) async throws {
        for index in 0..<12 {
            _ = try await store.record([TestPosts.scored("p\(index)", keywords: ["k"], at: t0 + index * 600,
                                                         compound: Double(index) / 20)])
        }
    }

    @Test func oldPostsAndMinutesArePrunedButTotalsAndHoursStay() async throws {
        let store = store()
        try await twoHours(into: store)
        // Newest t0+6600: the horizon is t0+3000, so p0…p4 are gone and p5…p11 stay.
        #expect(try await store.post(id: "p4") == nil)
        #expect(try await store.post(id: "p5") != nil)
        let kept = (5..<12).reversed().map { "p\($0)" }
        #expect(try await store.recentPosts(keyword: "k", limit: 100).map(\.id) == kept)
        #expect(try await store.recentPosts(keyword: nil, limit: 100).map(\.id) == kept)
        let extremes = try await store.extremes(keyword: "k", in: everything, limit: 100)
        #expect(extremes.mostPositive.map(\.id) == kept)
        #expect(try await store.keywords().map(\.totalCount) == [12], "all-time totals count pruned posts")
        let minutes = try await store.series(keyword: "k", in: everything, resolution: .minute)
        #expect(minutes.map(\.count) == Array(repeating: 1, count: 7))
        let hours = try await store.series(keyword: "k", in: everything, resolution: .hour)
        #expect(hours.map(\.count) == [6, 6], "pruned minutes live on in their hour")
        let firstHourSum: Double = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25].reduce(0, +)
        let sum: Double = hours.first?.compoundSum ?? 0
        #expect(abs(sum - firstHourSum) < 1e-9)
    }

    @Test func aLatePostIsCountedInItsHourButNotStored() async throws {
        let store = store()
        try await twoHours(into: store)
        let outcome = try await store.record([TestPosts.scored("late", keywords: ["k", "new"], at: t0 + 60, compound: 0)])
        #expect(outcome == RecordOutcome(inserted: 1, duplicates: 0))
        #expect(try await store.post(id: "late") == nil)
        #expect(try await store.keywords().map(\.totalCount) == [13, 1])
        #expect(try await store.series(keyword: "k", in: everything, resolution: .hour).map(\.count) == [7, 6])
        #expect(try await store.series(keyword: "new", in: everything, resolution: .hour).map(\.count) == [1])
        #expect(try await store.series(keyword: "new", in: everything, resolution: .minute).isEmpty)
    }

    @Test func hoursArePrunedAfterTheirOwnRetention() async throws {
        let store = store()
        try await twoHours(into: store)
        _ = try await store.record([TestPosts.scored("later", keywords: ["k"], at: t0 + 3 * 86_400, compound: 0)])
        #expect(try await store.series(keyword: "k", in: everything, resolution: .hour).map(\.count) == [1])
        #expect(try await store.keywords().map(\.totalCount) == [13])
        #expect(try await store.recentPosts(keyword: "k", limit: 100).map(\.id) == ["later"])
    }

    @Test func anOldArchiveIsKeptBecauseTimeIsThePostsOwn() async throws {
        let store = InMemorySentimentStore(configuration: .init(retention: .seconds(7 * 86_400)))
        let year2015 = 1_420_070_400
        let posts = (0..<100).map { TestPosts.scored("old\($0)", keywords: ["k"], at: year2015 + $0 * 600, compound: 0) }
        _ = try await store.record(posts)
        #expect(try await store.recentPosts(keyword: "k", limit: 1_000).count == 100)
    }

    @Test func aPostStampedInTheFutureDoesNotEmptyTheStore() async throws {
        let store = InMemorySentimentStore(configuration: .init(retention: .seconds(86_400)))
        let recent = Int(Date().timeIntervalSince1970) - 3600
        _ = try await store.record([TestPosts.scored("recent", keywords: ["k"], at: recent, compound: 0)])
        _ = try await store.record([TestPosts.scored("future", keywords: ["k"], at: 4_000_000_000, compound: 0)])
        #expect(try await store.post(id: "recent") != nil)
    }

    @Test func postsRecordedOutOfTimeOrderArePrunedAndNeverShown() async throws {
        let store = store()
        for (id, offset) in [("a", 7000), ("b", 3500), ("c", 4000), ("d", 7400)] {
            _ = try await store.record([TestPosts.scored(id, keywords: ["k"], at: t0 + offset, compound: 0.1)])
        }
        // Newest t0+7400: the horizon is t0+3780, so b is pruned though recorded after a.
        #expect(try await store.post(id: "b") == nil)
        #expect(try await store.recentPosts(keyword: "k", limit: 10).map(\.id) == ["d", "a", "c"])
        #expect(try await store.extremes(keyword: "k", in: everything, limit: 10).mostNegative.map(\.id) == ["a", "c", "d"])
    }

    @Test func countAndTimeRetentionTogetherStayConsistent() async throws {
        let store = InMemorySentimentStore(configuration: .init(postRetention: 3, retention: .seconds(3600)))
        for (index, offset) in [0, 600, 5000, 1200, 5400, 5600, 5700].enumerated() {
            _ = try await store.record([TestPosts.scored("q\(index)", keywords: ["k"], at: t0 + offset, compound: 0)])
        }
        // Time keeps ≥ t0+2100 (q2, q4, q5, q6); count keeps the newest three recorded.
        #expect(try await store.recentPosts(keyword: "k", limit: 10).map(\.id) == ["q6", "q5", "q4"])
        #expect(try await store.keywords().map(\.totalCount) == [7])
    }
}
