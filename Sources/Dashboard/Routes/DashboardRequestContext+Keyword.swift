import Foundation
import Hummingbird
import Storage

extension DashboardRequestContext {
    /// The `{keyword}` path parameter of a page or API route, validated and known to the
    /// store (else 400 / 404): pages and the JSON API answer an unknown keyword alike.
    func knownKeyword(in data: DashboardData, _ request: Request) async throws -> KeywordSummary {
        // Path parameters arrive still percent-encoded.
        let raw = parameters.get("keyword") ?? ""
        let keyword = try QueryParameters.validKeyword(raw.removingPercentEncoding ?? raw)
        guard let summary = try await data.canonicalKeyword(keyword) else {
            throw HTTPError(.notFound, message: "unknown keyword")
        }
        guard summary.keyword == keyword else { throw Self.redirect(request, from: raw, to: summary.keyword) }
        return summary
    }

    /// A permanent redirect to the same URL with the keyword segment spelled as stored.
    private static func redirect(_ request: Request, from raw: String, to keyword: String) -> HTTPError {
        let path = request.uri.path
        var canonical = path
        if let found = path.range(of: "/" + raw, options: .backwards) {
            canonical.replaceSubrange(found, with: "/" + PageLayout.percentEncode(keyword))
        }
        if let query = request.uri.query, !query.isEmpty { canonical += "?" + query }
        return HTTPError(.movedPermanently, headers: [.location: canonical], message: "the keyword is spelled \(keyword)")
    }
}
