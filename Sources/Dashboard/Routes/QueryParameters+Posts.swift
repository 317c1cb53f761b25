import Foundation
import Storage

extension QueryParameters {
    /// The drill-down a request asks for: `from`/`to` or `range` (all time when neither),
    /// `label`, `q`, `limit` (within `limits`) and `cursor`, for a known keyword.
    func postQuery(_ summary: KeywordSummary, data: DashboardData, limits: ClosedRange<Int> = 1...200,
                   defaultLimit: Int = 20) throws -> PostQuery {
        let limit = try integer("limit", in: limits, default: defaultLimit)
        let interval = data.postInterval(for: try rangeRequestIfGiven(), latest: summary.lastSeen)
        return PostQuery(keyword: summary.keyword, range: interval, label: try label(), search: try search(),
                         limit: limit, after: try cursor())
    }
}
