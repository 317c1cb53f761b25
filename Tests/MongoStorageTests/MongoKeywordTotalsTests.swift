import Foundation
import MongoKit
import MongoStorage
import PipelineModel
import Storage
import PipelineTesting
import Testing

/// `keywords()` reads per-keyword totals kept in `keywords` by `record`, not the bucket history.
@Suite struct MongoKeywordTotalsTests {
    @Test func totalsAreKeptByRecordAndEqualTheBuckets() async throws {
        let database = try MongoTestDatabase.make()
        let store = MongoSentimentStore(database: database)
        try await store.prepare()
        let t0 = 1_767_225_600
        _ = try await store.record([TestPosts.scored("a", keywords: ["x", "y"], at: t0, compound: 0.5),
                                    TestPosts.scored("b", keywords: ["x"], at: t0 + 3600, compound: -0.5)])
        _ = try await store.record([TestPosts.scored("b", keywords: ["x"], at: t0 + 3600, compound: -0.5),  // again
                                    TestPosts.scored("c", keywords: ["y"], at: t0 + 60, compound: 0)])
        let totals = try await store.keywords()
        #expect(totals.map(\.keyword) == ["x", "y"])
        #expect(totals.map(\.totalCount) == [2, 2])
        #expect(totals.map(\.lastSeen) == [Date(timeIntervalSince1970: Double(t0 + 3600)),
                                           Date(timeIntervalSince1970: Double(t0 + 60))])
        // The same figures as summing the buckets.
        let everything = DateInterval(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 4_000_000_000))
        for total in totals {
            let buckets = try await store.series(keyword: total.keyword, in: everything, resolution: .minute)
            #expect(buckets.reduce(0) { $0 + $1.count } == total.totalCount)
        }
    }
}
