import Foundation
import Hummingbird
import PipelineModel
import Storage

/// `GET /api/alerts?from=&to=&keyword=` and the `/alerts` page: the alerts whose episode
/// overlaps the range (the last 7 days by default, or a preset `range`), newest first.
/// Without an alert store (alerts off) both say so instead of showing an empty list that
/// would look like a quiet week.
struct AlertRoutes {
    let alerts: (any AlertStore)?
    let now: @Sendable () -> Date

    func register(on router: Router<DashboardRequestContext>) {
        router.get("api/alerts") { request, _ in
            let (interval, keyword) = try parameters(request)
            let found = try await alerts?.alerts(in: interval, keyword: keyword) ?? []
            return try APIRoutes.json(AlertsResponse(enabled: alerts != nil, from: interval.start, to: interval.end,
                                                     alerts: found.reversed().map(AlertMessage.init)))
        }
        router.get("alerts") { request, context in
            let (interval, keyword) = try parameters(request)
            let found = try await alerts?.alerts(in: interval, keyword: keyword) ?? []
            return PageRoutes.html(AlertsPage.render(Array(found.reversed()), enabled: alerts != nil, interval: interval,
                                                     keyword: keyword, nonce: context.cspNonce))
        }
    }

    private func parameters(_ request: Request) throws -> (DateInterval, String?) {
        let query = QueryParameters(request)
        let keyword = try query.keyword()
        switch try query.rangeRequestIfGiven() ?? .preset(.week, end: nil) {
        case .between(let given):
            return (given, keyword)
        case .preset(let range, let end):
            // The same whole-bucket window the keyword pages show for this preset.
            let window = TimeWindow.resolve(range: range, explicitEnd: end, now: now(), latest: nil)
            return (DateInterval(start: window.start, end: window.end), keyword)
        }
    }
}

/// The answer of `GET /api/alerts`.
struct AlertsResponse: Encodable {
    /// False when the process runs no alert detection (no `--alerts-config` or webhook).
    var enabled: Bool
    var from: Date
    var to: Date
    /// Newest episode first, each as a webhook receives it.
    var alerts: [AlertMessage]
}
