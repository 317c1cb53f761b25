import Foundation
import MongoKit
import MongoStorage
import PipelineModel
import Storage
import Testing

/// Recounts a store from scratch and compares it with its aggregates.
enum StoreAudit {
    /// Every queued post is stored exactly once, and every minute aggregate equals the
    /// counts recomputed from the stored posts (labels, histogram, sums, first/last seen).
    static func expectExactAggregates(store: MongoSentimentStore, tweets: MongoCollection, posts: [Post]) async throws {
        #expect(try await tweets.count() == posts.count)
        let stored = try await store.recentPosts(keyword: nil, limit: posts.count + 1)
        #expect(Set(stored.map(\.id)) == Set(posts.map(\.id)))
        let recount = Aggregation.buckets(for: stored)
        let allTime = DateInterval(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 4_102_444_800))
        var compared = 0
        for keyword in Set(posts.flatMap(\.keywords)) {
            for bucket in try await store.series(keyword: keyword, in: allTime, resolution: .minute) {
                let key = AggregateKey(keyword: keyword, bucketStart: bucket.bucketStart)
                guard let expected = recount[key] else {
                    Issue.record("aggregate \(keyword) \(bucket.bucketStart) counts posts that are not stored")
                    continue
                }
                #expect(bucket.count == expected.count && bucket.positive == expected.positive
                        && bucket.neutral == expected.neutral && bucket.negative == expected.negative
                        && bucket.histogram == expected.histogram, "\(keyword) \(bucket.bucketStart)")
                #expect(abs(bucket.compoundSum - expected.compoundSum) < 1e-9)
                #expect(bucket.firstSeen == expected.firstSeen && bucket.lastSeen == expected.lastSeen)
                compared += 1
            }
        }
        #expect(compared == recount.count, "every recounted bucket has an aggregate")
    }
}
