import Foundation
import MongoKit
import PipelineModel

/// What one batch adds to one keyword's hour (see `MongoSchema.Hourly` and `HourlyPosts`):
/// its sums over the hour and the batch's own candidates for the hour's extremes and newest
/// posts. The posts update merges them server-side (`$push` with `$each`, `$sort`, `$slice`), so
/// the document keeps the hour's best few whatever the order batches arrive in; only a
/// batch's own top few can enter them, so no more than those are sent.
struct HourlyRollup {
    /// Most positive and most negative posts kept per keyword and hour: the dashboard's
    /// extremes (larger requests read `tweets`).
    static let extremesKept = 5
    /// Newest posts kept per keyword and hour: the dashboard's feed.
    static let newestKept = 20

    /// The hour's sums (resolution `.hour`).
    var aggregate: KeywordAggregate
    /// Highest compound first; scored posts only (`unscored` compound 0 is no verdict).
    var mostPositive: [ScoredPost]
    /// Lowest compound first; scored posts only.
    var mostNegative: [ScoredPost]
    /// Newest first.
    var newest: [ScoredPost]

    /// One rollup per keyword and hour of `posts` (distinct, new posts), by keyword and hour.
    static func rollups(for posts: [ScoredPost]) -> [HourlyRollup] {
        var byHour: [AggregateKey: [ScoredPost]] = [:]
        for scored in posts {
            let hour = BucketResolution.hour.bucketStart(for: scored.post.timestamp)
            for keyword in Aggregation.distinct(scored.post.keywords) {
                byHour[AggregateKey(keyword: keyword, bucketStart: hour), default: []].append(scored)
            }
        }
        let sums = Aggregation.buckets(for: posts, resolution: .hour)
        return byHour.sorted { ($0.key.keyword, $0.key.bucketStart) < ($1.key.keyword, $1.key.bucketStart) }
            .compactMap { key, posts in
                guard let aggregate = sums[key] else { return nil }
                let scored = posts.filter { $0.sentiment.label != .unscored }
                return HourlyRollup(aggregate: aggregate,
                                    mostPositive: Array(scored.sorted(by: Self.morePositive).prefix(extremesKept)),
                                    mostNegative: Array(scored.sorted(by: Self.moreNegative).prefix(extremesKept)),
                                    newest: Array(posts.sorted(by: Self.newer).prefix(newestKept)))
            }
    }

    /// The extremes' order (the store's `extremes` sorts `tweets` the same way).
    static func morePositive(_ a: ScoredPost, _ b: ScoredPost) -> Bool {
        a.sentiment.compound != b.sentiment.compound ? a.sentiment.compound > b.sentiment.compound : a.id < b.id
    }

    /// Lowest compound first, then id.
    static func moreNegative(_ a: ScoredPost, _ b: ScoredPost) -> Bool {
        a.sentiment.compound != b.sentiment.compound ? a.sentiment.compound < b.sentiment.compound : a.id < b.id
    }

    /// The feed's order: newest first, then id descending.
    static func newer(_ a: ScoredPost, _ b: ScoredPost) -> Bool {
        a.post.timestamp != b.post.timestamp ? a.post.timestamp > b.post.timestamp : a.id > b.id
    }

    /// The upsert adding this rollup's sums to its `hourly` document.
    var sumsUpsert: WriteModel { aggregate.upsert }

    /// The upsert adding this rollup's posts to its `hourlyPosts` document.
    var postsUpsert: WriteModel {
        typealias Tweet = MongoSchema.Tweets
        typealias Hour = MongoSchema.HourlyPosts
        typealias Bucket = MongoSchema.Aggregates
        func push(_ posts: [ScoredPost], sort: BSONDocument, keep: Int) -> BSONValue {
            ["$each": .array(posts.map { .document($0.document) }), "$sort": .document(sort), "$slice": .int(keep)]
        }
        var pushes: BSONDocument = [
            Hour.newest: push(newest, sort: [Tweet.timestamp: -1, Tweet.id: -1], keep: Self.newestKept),
        ]
        if !mostPositive.isEmpty {
            pushes.append(Hour.mostPositive, push(mostPositive, sort: [Tweet.compound: -1, Tweet.id: 1], keep: Self.extremesKept))
            pushes.append(Hour.mostNegative, push(mostNegative, sort: [Tweet.compound: 1, Tweet.id: 1], keep: Self.extremesKept))
        }
        var update: BSONDocument = [
            "$setOnInsert": [Bucket.keyword: .string(aggregate.keyword), Bucket.bucketStart: .date(aggregate.bucketStart)],
            "$push": .document(pushes),
        ]
        if let firstSeen = aggregate.firstSeen { update.append("$min", [Bucket.firstSeen: .date(firstSeen)]) }
        if let lastSeen = aggregate.lastSeen { update.append("$max", [Bucket.lastSeen: .date(lastSeen)]) }
        return .updateOne(filter: [Bucket.id: .string(KeywordAggregate.documentID(
            keyword: aggregate.keyword, bucketStart: aggregate.bucketStart))], update: update, upsert: true)
    }
}
