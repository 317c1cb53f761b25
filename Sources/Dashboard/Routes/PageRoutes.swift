import Foundation
import Hummingbird

/// The HTML pages.
struct PageRoutes {
    let data: DashboardData

    func register(on router: Router<DashboardRequestContext>) {
        router.get("/") { request, context in try await overview(request, context) }
        router.get("/keywords/{keyword}") { request, context in try await keyword(request, context) }
    }

    private func overview(_ request: Request, _ context: DashboardRequestContext) async throws -> Response {
        let end = try QueryParameters(request).end()
        let overview = try await data.overview(end: end)
        return Self.html(OverviewPage.render(overview, now: data.now(), nonce: context.cspNonce))
    }

    private func keyword(_ request: Request, _ context: DashboardRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        let range = try query.range()
        let end = try query.end()
        let summary = try await context.knownKeyword(in: data)
        let report = try await data.report(summary, range: range, end: end)
        return Self.html(KeywordPage.render(report, explicitEnd: end, nonce: context.cspNonce))
    }

    static func html(_ document: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: document)))
    }
}
