import Foundation
import PipelineModel
import Storage

/// One keyword of a comparison: its volume on the shared time axis and its totals.
public struct ComparedKeyword: Sendable, Codable, Equatable {
    /// The keyword.
    public var keyword: String
    /// Posts per bucket of the shared window, oldest first.
    public var volume: [Int]
    /// Totals over the window.
    public var totals: SentimentTotals
    /// Share of voice: its posts as a percentage of all compared keywords' posts (0…100),
    /// nil when none of them has a post in the window.
    public var shareOfVoice: Double?
}

/// `GET /api/compare` and the compare page: several keywords on one time axis.
public struct CompareResponse: Sendable, Codable, Equatable {
    /// The shared window (anchored at the latest post of any of them when nothing is recent).
    public var window: WindowView
    /// Bucket starts of the shared axis, oldest first.
    public var bucketStarts: [Date]
    /// The keywords in the order asked for.
    public var keywords: [ComparedKeyword]
}

extension DashboardData {
    /// Compares known keywords over one window: same buckets for all, share of voice
    /// over the window, mean sentiment each.
    public func compare(_ summaries: [KeywordSummary], request: RangeRequest) async throws -> (CompareResponse, TimeWindow) {
        let window = window(for: request, latest: summaries.compactMap(\.lastSeen).max())
        var grids: [(KeywordSummary, [KeywordAggregate])] = []
        for summary in summaries {
            grids.append((summary, try await series(summary.keyword, window: window)))
        }
        let all = grids.reduce(0) { $0 + $1.1.reduce(0) { $0 + $1.count } }
        let keywords = grids.map { summary, grid -> ComparedKeyword in
            let totals = SentimentTotals(grid, keyword: summary.keyword)
            return ComparedKeyword(keyword: summary.keyword, volume: grid.map(\.count), totals: totals,
                                   shareOfVoice: all == 0 ? nil : Double(totals.count) / Double(all) * 100)
        }
        let starts = (0..<window.bucketCount).map { window.start.addingTimeInterval(Double($0 * window.resolution.seconds)) }
        return (CompareResponse(window: WindowView(window), bucketStarts: starts, keywords: keywords), window)
    }
}
