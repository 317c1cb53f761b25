import Foundation
import Hummingbird

/// The HTML pages.
struct PageRoutes {
    let data: DashboardData
    /// Posts a bucket needs before its mean sentiment is drawn.
    var minimumPosts = DashboardConfiguration.defaultMinimumSentimentPosts

    func register(on router: Router<DashboardRequestContext>) {
        router.get("/") { request, context in try await overview(request, context) }
        router.get("/keywords/{keyword}") { request, context in try await keyword(request, context) }
        router.get("/keywords/{keyword}/posts") { request, context in try await posts(request, context) }
        router.get("/compare") { request, context in try await compare(request, context) }
    }

    private func overview(_ request: Request, _ context: DashboardRequestContext) async throws -> Response {
        let end = try QueryParameters(request).end()
        let overview = try await data.overview(end: end)
        return Self.html(OverviewPage.render(overview, now: data.now(), nonce: context.cspNonce))
    }

    private func keyword(_ request: Request, _ context: DashboardRequestContext) async throws -> Response {
        let rangeRequest = try QueryParameters(request).rangeRequest()
        let summary = try await context.knownKeyword(in: data, request)
        let report = try await data.report(summary, request: rangeRequest)
        return Self.html(KeywordPage.render(report, request: rangeRequest, minimumPosts: minimumPosts,
                                            nonce: context.cspNonce))
    }

    private func posts(_ request: Request, _ context: DashboardRequestContext) async throws -> Response {
        let parameters = QueryParameters(request)
        let summary = try await context.knownKeyword(in: data, request)
        let query = try parameters.postQuery(summary, data: data, limits: 1...200, defaultLimit: 50)
        let page = try await data.store.posts(query)
        let filters = PostsPage.Filters(rangeRequest: try parameters.rangeRequestIfGiven(), label: query.label,
                                        q: parameters.values.get("q").map { String($0) } ?? "", limit: query.limit)
        return Self.html(PostsPage.render(keyword: summary.keyword, query: query, page: page, filters: filters,
                                          now: data.now(), nonce: context.cspNonce))
    }

    private func compare(_ request: Request, _ context: DashboardRequestContext) async throws -> Response {
        let (response, window) = try await APIRoutes.compare(request, data: data)
        let rangeRequest = try QueryParameters(request).rangeRequest()
        return Self.html(ComparePage.render(response, window: window, request: rangeRequest,
                                            minimumPosts: minimumPosts, now: data.now(), nonce: context.cspNonce))
    }

    static func html(_ document: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: document)))
    }
}
