import Foundation
import PipelineModel
import Storage

/// Everything a page or API response needs, read from a `SentimentStore`: the one place
/// that turns store answers into windows, grids and totals, so HTML and JSON agree.
public struct DashboardData: Sendable {
    /// The store read from.
    public var store: any SentimentStore
    /// "Now", injected so tests and replays control time.
    public var now: @Sendable () -> Date

    /// Reads `store` with `now` as the clock.
    public init(store: any SentimentStore, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.now = now
    }

    /// The overview: every keyword's last hour (anchored as `TimeWindow.resolve` says,
    /// with the latest post over all keywords).
    public func overview(end: Date?) async throws -> OverviewResponse {
        let keywords = try await store.keywords()
        let latest = keywords.compactMap(\.lastSeen).max()
        let window = TimeWindow.resolve(range: .hour, explicitEnd: end, now: now(), latest: latest)
        var rows: [KeywordOverview] = []
        rows.reserveCapacity(keywords.count)
        for summary in keywords {
            let buckets = try await store.series(keyword: summary.keyword, in: window.storeInterval,
                                                 resolution: .minute)
            let grid = window.grid(keyword: summary.keyword, buckets: buckets)
            let totals = SentimentTotals(grid, keyword: summary.keyword)
            // Posts keep arriving while the windows are read, after the keyword list was:
            // the all-time total shown is never below the window read after it.
            rows.append(KeywordOverview(keyword: summary.keyword, totalCount: max(summary.totalCount, totals.count),
                                        lastSeen: summary.lastSeen,
                                        window: totals,
                                        perMinute: grid.map(\.count)))
        }
        rows.sort { ($0.window.count, $0.totalCount, $1.keyword) > ($1.window.count, $1.totalCount, $0.keyword) }
        return OverviewResponse(window: WindowView(window), keywords: rows)
    }

    /// The summary of a known keyword, or nil if the store has never seen it.
    public func keywordSummary(_ keyword: String) async throws -> KeywordSummary? {
        try await store.keywords().first { $0.keyword == keyword }
    }

    /// The keyword spelled `keyword` but for case, when no keyword is spelled exactly so
    /// (what a case-insensitive URL redirects to); the first by name when several are.
    public func canonicalKeyword(_ keyword: String) async throws -> KeywordSummary? {
        let keywords = try await store.keywords()
        if let exact = keywords.first(where: { $0.keyword == keyword }) { return exact }
        let folded = keyword.lowercased()
        return keywords.first { $0.keyword.lowercased() == folded }
    }

    /// The window for `keyword` over `range`.
    public func window(for summary: KeywordSummary, range: TimeRange, end: Date?) -> TimeWindow {
        TimeWindow.resolve(range: range, explicitEnd: end, now: now(), latest: summary.lastSeen)
    }

    /// The window a request asks for, for a keyword last seen at `latest`.
    public func window(for request: RangeRequest, latest: Date?) -> TimeWindow {
        switch request {
        case .preset(let range, let end):
            TimeWindow.resolve(range: range, explicitEnd: end, now: now(), latest: latest)
        case .between(let interval):
            TimeWindow(from: interval.start, to: interval.end)
        }
    }

    /// The posts a request's range covers: exactly `from`–`to`, or the preset's whole
    /// buckets; all time when no range was asked for.
    public func postInterval(for request: RangeRequest?, latest: Date?) -> DateInterval {
        switch request {
        case nil: DateInterval(start: .distantPast, end: .distantFuture)
        case .between(let interval)?: interval
        case let preset?:
            DateInterval(start: window(for: preset, latest: latest).start, end: window(for: preset, latest: latest).end)
        }
    }

    /// Every bucket of the window.
    public func series(_ keyword: String, window: TimeWindow) async throws -> [KeywordAggregate] {
        let buckets = try await store.series(keyword: keyword, in: window.storeInterval,
                                             resolution: window.resolution)
        return window.grid(keyword: keyword, buckets: buckets)
    }

    /// The most positive and negative posts of the window.
    public func extremes(_ keyword: String, window: TimeWindow, limit: Int) async throws -> KeywordExtremes {
        try await store.extremes(keyword: keyword, in: window.storeInterval, limit: limit)
    }

    /// The keyword page's data in one value.
    public func report(_ summary: KeywordSummary, range: TimeRange, end: Date?,
                       extremesLimit: Int = 5, feedLimit: Int = 20) async throws -> KeywordReport {
        try await report(summary, request: .preset(range, end: end), extremesLimit: extremesLimit, feedLimit: feedLimit)
    }

    /// The keyword page's data for any range request.
    public func report(_ summary: KeywordSummary, request: RangeRequest,
                       extremesLimit: Int = 5, feedLimit: Int = 20) async throws -> KeywordReport {
        let window = window(for: request, latest: summary.lastSeen)
        let buckets = try await series(summary.keyword, window: window)
        let extremes = try await extremes(summary.keyword, window: window, limit: extremesLimit)
        let feed = try await store.recentPosts(keyword: summary.keyword, limit: feedLimit)
        let totals = SentimentTotals(buckets, keyword: summary.keyword)
        // As in `overview`: the all-time total, read before the window, never below it.
        var summary = summary
        summary.totalCount = max(summary.totalCount, totals.count)
        return KeywordReport(summary: summary, window: window, buckets: buckets, totals: totals,
                             mostPositive: extremes.mostPositive.map(PostView.init),
                             mostNegative: extremes.mostNegative.map(PostView.init),
                             feed: feed.map(PostView.init), now: now())
    }
}

/// What the keyword page shows.
public struct KeywordReport: Sendable {
    /// The keyword and its all-time count.
    public var summary: KeywordSummary
    /// The window shown.
    public var window: TimeWindow
    /// Every bucket of the window.
    public var buckets: [KeywordAggregate]
    /// Totals over the window.
    public var totals: SentimentTotals
    /// Extremes in the window.
    public var mostPositive: [PostView], mostNegative: [PostView]
    /// Newest posts of the keyword.
    public var feed: [PostView]
    /// When the report was made.
    public var now: Date
}
