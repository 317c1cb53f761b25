import Foundation
import Hummingbird
import Storage

extension DashboardRequestContext {
    /// The `{keyword}` path parameter of a page or API route, validated and known to the
    /// store (else 400 / 404): pages and the JSON API answer an unknown keyword alike.
    func knownKeyword(in data: DashboardData) async throws -> KeywordSummary {
        // Path parameters arrive still percent-encoded.
        let raw = parameters.get("keyword") ?? ""
        let keyword = try QueryParameters.validKeyword(raw.removingPercentEncoding ?? raw)
        guard let summary = try await data.keywordSummary(keyword) else {
            throw HTTPError(.notFound, message: "unknown keyword")
        }
        return summary
    }
}
