import Foundation
import MongoKit
import PipelineModel
import Storage

/// The dashboard's reads: whole hours from `hourly` (see `HourlyRollup`), the partial
/// hours at a range's edges from the minute buckets and `tweets`, so every answer is exact
/// and a 7-day page reads a few hundred small documents, not every post of the week.
extension MongoSentimentStore {
    private typealias Hour = MongoSchema.Hourly
    private static let hour: TimeInterval = 3600

    public func series(keyword: String, in range: DateInterval,
                       resolution: BucketResolution) async throws -> [KeywordAggregate] {
        // Minute buckets whose start lies in the range, rolled up: an hour is whole when
        // its first and last minute both lie in it.
        let firstWhole = Self.hourCeiling(range.start)
        let lastWhole = BucketResolution.hour.bucketStart(for: range.end.addingTimeInterval(-(Self.hour - 60)))
        guard resolution == .hour, firstWhole <= lastWhole else {
            return Aggregation.rollUp(try await minuteBuckets(keyword, from: range.start, through: range.end), to: resolution)
        }
        var edges = try await minuteBuckets(keyword, from: range.start, before: firstWhole)
        edges += try await minuteBuckets(keyword, from: lastWhole.addingTimeInterval(Self.hour), through: range.end)
        let whole = try await hourly.find([
            BucketField.keyword: .string(keyword),
            BucketField.bucketStart: ["$gte": .date(firstWhole), "$lte": .date(lastWhole)],
        ], options: FindOptions(projection: [Hour.mostPositive: 0, Hour.mostNegative: 0, Hour.newest: 0]))
        let hours = try whole.map { document -> KeywordAggregate in
            var aggregate = try KeywordAggregate(document: document)
            aggregate.resolution = .hour
            return aggregate
        }
        return (Aggregation.rollUp(edges, to: .hour) + hours).sorted { $0.bucketStart < $1.bucketStart }
    }

    public func extremes(keyword: String, in range: DateInterval, limit: Int) async throws -> KeywordExtremes {
        guard limit > 0 else { return KeywordExtremes(mostPositive: [], mostNegative: []) }
        // Posts whose timestamp lies in the range: an hour is whole when all of it does.
        let firstWhole = Self.hourCeiling(range.start)
        let lastWhole = BucketResolution.hour.bucketStart(for: range.end).addingTimeInterval(-Self.hour)
        guard limit <= HourlyRollup.extremesKept, firstWhole <= lastWhole else {
            return try await extremesOfPosts(keyword, from: range.start, through: range.end, limit: limit)
        }
        let before = try await extremesOfPosts(keyword, from: range.start, before: firstWhole, limit: limit)
        let after = try await extremesOfPosts(keyword, from: lastWhole.addingTimeInterval(Self.hour), through: range.end,
                                              limit: limit)
        let whole = try await hourly.find([
            BucketField.keyword: .string(keyword),
            BucketField.bucketStart: ["$gte": .date(firstWhole), "$lte": .date(lastWhole)],
        ], options: FindOptions(projection: [Hour.mostPositive: 1, Hour.mostNegative: 1]))
        var positive = before.mostPositive + after.mostPositive
        var negative = before.mostNegative + after.mostNegative
        for document in whole {
            positive += try Self.posts(document[Hour.mostPositive])
            negative += try Self.posts(document[Hour.mostNegative])
        }
        return KeywordExtremes(mostPositive: Array(positive.sorted(by: HourlyRollup.morePositive).prefix(limit)),
                               mostNegative: Array(negative.sorted(by: HourlyRollup.moreNegative).prefix(limit)))
    }

    public func recentPosts(keyword: String?, limit: Int) async throws -> [ScoredPost] {
        guard limit > 0 else { return [] }
        guard limit <= HourlyRollup.newestKept else { return try await newestPosts(keyword: keyword, limit: limit) }
        // Hours newest first: once the hours read hold `limit` posts, every post of an
        // older hour is older than those (each hour keeps its newest `newestKept`).
        var found: [String: ScoredPost] = [:]
        var atOrBefore: Date?
        let page = 64
        while true {
            var filter: BSONDocument = [:]
            if let keyword { filter.append(BucketField.keyword, .string(keyword)) }
            if let atOrBefore { filter.append(BucketField.bucketStart, ["$lte": .date(atOrBefore)]) }
            let documents = try await hourly.find(filter, options: FindOptions(
                sort: [BucketField.bucketStart: -1], limit: page, projection: [Hour.newest: 1, BucketField.bucketStart: 1]))
            guard let last = documents.last else { break }
            let everyHourLeft = documents.count < page
            for document in documents {
                // The page's oldest hour may go on in the next page: it is read there, whole.
                if !everyHourLeft && document[BucketField.bucketStart] == last[BucketField.bucketStart] { continue }
                for post in try Self.posts(document[Hour.newest]) { found[post.id] = post }
            }
            if everyHourLeft || found.count >= limit { break }
            guard case .date(let oldest)? = last[BucketField.bucketStart],
                  documents.contains(where: { $0[BucketField.bucketStart] != last[BucketField.bucketStart] }) else {
                // One hour's keywords fill a whole page: read the posts themselves.
                return try await newestPosts(keyword: keyword, limit: limit)
            }
            atOrBefore = oldest
        }
        return Array(found.values.sorted(by: HourlyRollup.newer).prefix(limit))
    }

    // MARK: - The edges: minute buckets and posts

    private func minuteBuckets(_ keyword: String, from start: Date, through end: Date) async throws -> [KeywordAggregate] {
        try await aggregates.find([
            BucketField.keyword: .string(keyword),
            BucketField.bucketStart: ["$gte": .date(start), "$lte": .date(end)],
        ]).map(KeywordAggregate.init(document:))
    }

    private func minuteBuckets(_ keyword: String, from start: Date, before end: Date) async throws -> [KeywordAggregate] {
        guard start < end else { return [] }
        return try await aggregates.find([
            BucketField.keyword: .string(keyword),
            BucketField.bucketStart: ["$gte": .date(start), "$lt": .date(end)],
        ]).map(KeywordAggregate.init(document:))
    }

    private func extremesOfPosts(_ keyword: String, from start: Date, through end: Date, limit: Int) async throws -> KeywordExtremes {
        try await extremesOfPosts(keyword, timestamps: ["$gte": .date(start), "$lte": .date(end)], limit: limit)
    }

    private func extremesOfPosts(_ keyword: String, from start: Date, before end: Date, limit: Int) async throws -> KeywordExtremes {
        guard start < end else { return KeywordExtremes(mostPositive: [], mostNegative: []) }
        return try await extremesOfPosts(keyword, timestamps: ["$gte": .date(start), "$lt": .date(end)], limit: limit)
    }

    /// The posts of `keyword` with timestamps in `timestamps` of highest and lowest compound,
    /// through `keyword_time`.
    private func extremesOfPosts(_ keyword: String, timestamps: BSONDocument, limit: Int) async throws -> KeywordExtremes {
        // Unscored posts carry compound 0 by convention, not a verdict: never an extreme.
        let filter: BSONDocument = [
            TweetField.keywords: .string(keyword),
            TweetField.timestamp: .document(timestamps),
            TweetField.label: ["$ne": .string(SentimentLabel.unscored.rawValue)],
        ]
        let positive = try await tweets.find(filter, options: FindOptions(sort: [TweetField.compound: -1, TweetField.id: 1],
                                                                          limit: limit))
        let negative = try await tweets.find(filter, options: FindOptions(sort: [TweetField.compound: 1, TweetField.id: 1],
                                                                          limit: limit))
        return KeywordExtremes(mostPositive: try positive.map(ScoredPost.init(document:)),
                               mostNegative: try negative.map(ScoredPost.init(document:)))
    }

    /// The newest posts from `tweets`, for feeds longer than an hour keeps.
    private func newestPosts(keyword: String?, limit: Int) async throws -> [ScoredPost] {
        let filter: BSONDocument
        if let keyword {
            filter = [TweetField.keywords: .string(keyword)]
        } else {
            // Every counted post has a keyword: name them all so the query runs on
            // `keyword_time` (merging its ranges) instead of needing an index of its own.
            let known = try await keywords().map { BSONValue.string($0.keyword) }
            guard !known.isEmpty else { return [] }
            filter = [TweetField.keywords: ["$in": .array(known)]]
        }
        return try await tweets.find(filter, options: FindOptions(sort: [TweetField.timestamp: -1, TweetField.id: -1],
                                                                  limit: limit))
            .map(ScoredPost.init(document:))
    }

    private static func posts(_ value: BSONValue?) throws -> [ScoredPost] {
        try (value?.arrayValue ?? []).compactMap(\.documentValue).map(ScoredPost.init(document:))
    }

    /// The first hour boundary at or after `date`.
    private static func hourCeiling(_ date: Date) -> Date {
        let floor = BucketResolution.hour.bucketStart(for: date)
        return floor == date ? floor : floor.addingTimeInterval(hour)
    }
}
