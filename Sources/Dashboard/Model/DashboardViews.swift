import Foundation
import PipelineModel
import Storage

/// The window of a response, in JSON.
public struct WindowView: Sendable, Codable, Equatable {
    /// Range name (`15m` … `7d`), or `custom` for an explicit `from`–`to`.
    public var range: String
    /// Bucket width (`1m`, `5m`, `1h`).
    public var resolution: String
    /// Start of the first bucket.
    public var start: Date
    /// End of the last bucket (exclusive).
    public var end: Date
    /// True when the window was moved back to the latest post because nothing was recent.
    public var anchoredToLatest: Bool

    init(_ window: TimeWindow) {
        range = window.range?.rawValue ?? "custom"
        resolution = window.resolution.rawValue
        start = window.start
        end = window.end
        anchoredToLatest = window.anchoredToLatest
    }
}

/// One bucket of a series, in JSON.
public struct BucketView: Sendable, Codable, Equatable {
    /// Bucket start.
    public var start: Date
    /// Posts (the volume) and posts per label; `unscored` ones are in `count` only.
    public var count: Int, positive: Int, neutral: Int, negative: Int, unscored: Int
    /// Mean compound of scored posts, nil without any.
    public var meanCompound: Double?

    init(_ bucket: KeywordAggregate) {
        start = bucket.bucketStart
        count = bucket.count
        positive = bucket.positive
        neutral = bucket.neutral
        negative = bucket.negative
        unscored = bucket.unscored
        meanCompound = bucket.meanCompound
    }
}

/// One row of the overview: a keyword's last hour.
public struct KeywordOverview: Sendable, Codable, Equatable {
    /// The keyword.
    public var keyword: String
    /// All posts ever counted for it.
    public var totalCount: Int
    /// Its latest post.
    public var lastSeen: Date?
    /// Totals over the overview window.
    public var window: SentimentTotals
    /// Posts per minute over the window, oldest first (the sparkline).
    public var perMinute: [Int]
}

/// `GET /api/keywords`: the overview page's data.
public struct OverviewResponse: Sendable, Codable, Equatable {
    /// The window every row covers (the last hour).
    public var window: WindowView
    /// One row per keyword, busiest first.
    public var keywords: [KeywordOverview]
}

/// `GET /api/keywords/{keyword}/series`.
public struct SeriesResponse: Sendable, Codable, Equatable {
    /// The keyword.
    public var keyword: String
    /// The window.
    public var window: WindowView
    /// Every bucket of the window, empty ones included.
    public var buckets: [BucketView]
}

/// `GET /api/keywords/{keyword}/summary`.
public struct SummaryResponse: Sendable, Codable, Equatable {
    /// The keyword.
    public var keyword: String
    /// The window.
    public var window: WindowView
    /// Totals over the window.
    public var totals: SentimentTotals
}

/// `GET /api/keywords/{keyword}/extremes`.
public struct ExtremesResponse: Sendable, Codable, Equatable {
    /// The keyword.
    public var keyword: String
    /// The window.
    public var window: WindowView
    /// Highest compound first.
    public var mostPositive: [PostView]
    /// Lowest compound first.
    public var mostNegative: [PostView]
}

/// `GET /api/posts` and `GET /api/keywords/{keyword}/posts`.
public struct PostsResponse: Sendable, Codable, Equatable {
    /// The keyword, or nil for all keywords.
    public var keyword: String?
    /// Newest first.
    public var posts: [PostView]
    /// The `cursor` of the next page, null when none is left (always null for `/api/posts`).
    public var next: String?

    /// A response.
    public init(keyword: String?, posts: [PostView], next: String? = nil) {
        self.keyword = keyword
        self.posts = posts
        self.next = next
    }

    private enum CodingKeys: String, CodingKey { case keyword, posts, next }

    /// `next` is written as `null` when absent, so clients can test for it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(keyword, forKey: .keyword)
        try container.encode(posts, forKey: .posts)
        try container.encode(next, forKey: .next)
    }
}
