import Foundation
import PipelineModel
import Storage
import PipelineTesting
import Testing

/// What only the in-memory store promises: bounded feed buffers and post retention.
@Suite struct InMemorySentimentStoreTests {
    @Test func aSlowSubscriberLosesTheOldestChangesWithoutBlockingRecord() async throws {
        let store = InMemorySentimentStore(configuration: .init(changeBuffer: 4))
        let feed = try await store.changes()
        // Nobody reads the feed while 10 batches (20 changes) are recorded.
        for i in 0..<10 {
            _ = try await store.record([TestPosts.scored("s\(i)", at: 1_767_225_600 + i, compound: 0.5)])
        }
        var iterator = feed.makeAsyncIterator()
        var kept: [StoreChange] = []
        for _ in 0..<4 { if let change = try await iterator.next() { kept.append(change) } }
        // The newest four remain: posts s8, its buckets, posts s9, its buckets.
        guard case .posts(let p8) = kept[0], case .aggregates(let a8) = kept[1],
              case .posts(let p9) = kept[2], case .aggregates(let a9) = kept[3] else {
            Issue.record("unexpected change order \(kept)")
            return
        }
        #expect(p8.map(\.id) == ["s8"] && p9.map(\.id) == ["s9"])
        #expect(a8.first?.count == 9 && a9.first?.count == 10)
    }

    @Test func aRepeatedPostKeepsTheFirstRecordingAndCountsOnce() async throws {
        let store = InMemorySentimentStore()
        let first = TestPosts.scored("p", keywords: ["a", "b", "a"], compound: 0.5)
        let again = TestPosts.scored("p", keywords: ["a", "b", "a"], compound: -0.5)
        #expect(try await store.record([first, again]) == RecordOutcome(inserted: 1, duplicates: 1))
        #expect(try await store.record([again]) == RecordOutcome(inserted: 0, duplicates: 1))
        #expect(try await store.post(id: "p") == first)
        let keywords = try await store.keywords()
        #expect(keywords.map(\.keyword) == ["a", "b"] && keywords.allSatisfy { $0.totalCount == 1 })
        #expect(try await store.recentPosts(keyword: "a", limit: 5).map(\.id) == ["p"])
    }

    @Test func cancellingTheReaderEndsItsSubscription() async throws {
        let store = InMemorySentimentStore()
        let reader = Task {
            var count = 0
            for try await _ in try await store.changes() { count += 1 }
            return count
        }
        reader.cancel()
        _ = try await reader.value
        // Recording afterwards must not fail or block on the ended subscription.
        #expect(try await store.record([TestPosts.scored("x", compound: 0)]).inserted == 1)
    }

    @Test func retentionEvictsOldestPostsButKeepsAggregates() async throws {
        let store = InMemorySentimentStore(configuration: .init(postRetention: 3))
        for i in 0..<5 {
            _ = try await store.record([TestPosts.scored("t\(i)", keywords: ["k", "j"], at: 1_767_225_600 + i,
                                                         compound: 0.5)])
        }
        #expect(try await store.post(id: "t0") == nil)
        #expect(try await store.post(id: "t1") == nil)
        #expect(try await store.recentPosts(keyword: "k", limit: 10).map(\.id) == ["t4", "t3", "t2"])
        #expect(try await store.recentPosts(keyword: nil, limit: 10).count == 3)
        let series = try await store.series(keyword: "j", in: DateInterval(start: .distantPast, end: .distantFuture),
                                            resolution: .minute)
        #expect(series.map(\.count) == [5])
        #expect(try await store.keywords().map(\.totalCount) == [5, 5])
    }
}
