import Foundation
import MongoKit
import PipelineModel
import Storage

/// The dashboard's reads from the hourly rollups (see `HourlyRollup`). An hour stands for
/// its part of a range when all of its posts lie inside the range (its `firstSeen` and
/// `lastSeen` say so: the dashboard's windows are whole hours ending after the newest
/// post); an hour cut by the range's edge is read from its minute buckets (series) or its
/// posts in `tweets` (extremes). Every answer is exact, and a 7-day page reads a few
/// hundred small documents, not every post of the week.
extension MongoSentimentStore {
    private typealias Hour = MongoSchema.HourlyPosts
    private static let hour: TimeInterval = 3600

    public func series(keyword: String, in range: DateInterval,
                       resolution: BucketResolution) async throws -> [KeywordAggregate] {
        guard resolution == .hour else {
            return Aggregation.rollUp(try await minuteBuckets(keyword, from: range.start, through: range.end), to: resolution)
        }
        // Minute buckets whose start lies in the range, rolled up to hours.
        var whole: [KeywordAggregate] = []
        var cut: [KeywordAggregate] = []
        for document in try await hourly.find(hoursOverlapping(range, keyword: keyword)) {
            var aggregate = try KeywordAggregate(document: document)
            aggregate.resolution = .hour
            if let first = aggregate.firstSeen, let last = aggregate.lastSeen,
               BucketResolution.minute.bucketStart(for: first) >= range.start, last <= range.end {
                whole.append(aggregate)
            } else {
                let hourEnd = aggregate.bucketStart.addingTimeInterval(Self.hour - 60)
                cut += try await minuteBuckets(keyword, from: max(range.start, aggregate.bucketStart),
                                               through: min(range.end, hourEnd))
            }
        }
        return (Aggregation.rollUp(cut, to: .hour) + whole).sorted { $0.bucketStart < $1.bucketStart }
    }

    public func extremes(keyword: String, in range: DateInterval, limit: Int) async throws -> KeywordExtremes {
        guard limit > 0 else { return KeywordExtremes(mostPositive: [], mostNegative: []) }
        guard limit <= HourlyRollup.extremesKept else {
            return try await extremesOfPosts(keyword, timestamps: ["$gte": .date(range.start), "$lte": .date(range.end)],
                                             limit: limit)
        }
        // Posts whose timestamp lies in the range.
        var positive: [ScoredPost] = []
        var negative: [ScoredPost] = []
        let documents = try await hourlyPosts.find(hoursOverlapping(range, keyword: keyword), options: FindOptions(
            projection: [Hour.mostPositive: 1, Hour.mostNegative: 1, BucketField.bucketStart: 1,
                         BucketField.firstSeen: 1, BucketField.lastSeen: 1]))
        for document in documents {
            guard case .date(let start)? = document[BucketField.bucketStart] else { continue }
            if case .date(let first)? = document[BucketField.firstSeen], case .date(let last)? = document[BucketField.lastSeen],
               first >= range.start, last <= range.end {
                positive += try Self.posts(document[Hour.mostPositive])
                negative += try Self.posts(document[Hour.mostNegative])
            } else {
                let part = try await extremesOfPosts(keyword, timestamps: [
                    "$gte": .date(max(range.start, start)),
                    "$lte": .date(min(range.end, start.addingTimeInterval(Self.hour - 0.001))),
                ], limit: limit)
                positive += part.mostPositive
                negative += part.mostNegative
            }
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
        var page = 4
        while true {
            var filter: BSONDocument = [:]
            if let keyword { filter.append(BucketField.keyword, .string(keyword)) }
            if let atOrBefore { filter.append(BucketField.bucketStart, ["$lte": .date(atOrBefore)]) }
            let documents = try await hourlyPosts.find(filter, options: FindOptions(
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
                // One hour's keywords fill a whole page: read the next page larger.
                page *= 4
                continue
            }
            atOrBefore = oldest
            page = min(page * 4, 256)
        }
        return Array(found.values.sorted(by: HourlyRollup.newer).prefix(limit))
    }

    /// Documents of `keyword`'s hours that overlap `range`.
    private func hoursOverlapping(_ range: DateInterval, keyword: String) -> BSONDocument {
        [
            BucketField.keyword: .string(keyword),
            BucketField.bucketStart: ["$gte": .date(BucketResolution.hour.bucketStart(for: range.start)),
                                      "$lte": .date(range.end)],
        ]
    }

    // MARK: - The edges: minute buckets and posts

    private func minuteBuckets(_ keyword: String, from start: Date, through end: Date) async throws -> [KeywordAggregate] {
        try await aggregates.find([
            BucketField.keyword: .string(keyword),
            BucketField.bucketStart: ["$gte": .date(start), "$lte": .date(end)],
        ]).map(KeywordAggregate.init(document:))
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
}
