import Foundation
import Hummingbird
import PipelineModel
import Storage

/// The JSON API: everything the pages show (see docs/openapi.yaml).
struct APIRoutes {
    let data: DashboardData

    func register(on router: Router<DashboardRequestContext>) {
        let api = router.group("api")
        api.get("keywords") { request, _ in
            try await Self.json(data.overview(end: QueryParameters(request).end()))
        }
        api.get("keywords/{keyword}/series") { request, context in
            let (summary, window) = try await windowed(request, context)
            let buckets = try await data.series(summary.keyword, window: window)
            return try Self.json(SeriesResponse(keyword: summary.keyword, window: WindowView(window),
                                                buckets: buckets.map(BucketView.init)))
        }
        api.get("keywords/{keyword}/summary") { request, context in
            let (summary, window) = try await windowed(request, context)
            let buckets = try await data.series(summary.keyword, window: window)
            return try Self.json(SummaryResponse(keyword: summary.keyword, window: WindowView(window),
                                                 totals: SentimentTotals(buckets, keyword: summary.keyword)))
        }
        api.get("keywords/{keyword}/extremes") { request, context in
            let limit = try QueryParameters(request).integer("limit", in: 1...50, default: 5)
            let (summary, window) = try await windowed(request, context)
            let extremes = try await data.extremes(summary.keyword, window: window, limit: limit)
            return try Self.json(ExtremesResponse(keyword: summary.keyword, window: WindowView(window),
                                                  mostPositive: extremes.mostPositive.map(PostView.init),
                                                  mostNegative: extremes.mostNegative.map(PostView.init)))
        }
        api.get("keywords/{keyword}/posts") { request, context in
            let summary = try await context.knownKeyword(in: data, request)
            let query = try QueryParameters(request).postQuery(summary, data: data)
            let page = try await data.store.posts(query)
            return try Self.json(PostsResponse(keyword: summary.keyword, posts: page.posts.map(PostView.init),
                                               next: page.next?.encoded))
        }
        api.get("compare") { request, _ in
            let (response, _) = try await compare(request)
            return try Self.json(response)
        }
        api.get("posts") { request, _ in
            let query = QueryParameters(request)
            let limit = try query.integer("limit", in: 1...200, default: 20)
            let keyword = try query.keyword()
            // The same answer as /api/keywords/{keyword}/posts: a keyword nobody tracks is
            // a 404, not an empty list that looks like a quiet keyword.
            if let keyword, try await data.keywordSummary(keyword) == nil {
                throw HTTPError(.notFound, message: "unknown keyword")
            }
            let posts = try await data.store.recentPosts(keyword: keyword, limit: limit)
            return try Self.json(PostsResponse(keyword: keyword, posts: posts.map(PostView.init)))
        }
    }

    private func windowed(_ request: Request,
                          _ context: DashboardRequestContext) async throws -> (KeywordSummary, TimeWindow) {
        let rangeRequest = try QueryParameters(request).rangeRequest()
        let summary = try await context.knownKeyword(in: data, request)
        return (summary, data.window(for: rangeRequest, latest: summary.lastSeen))
    }

    /// `keywords` (1–10, each known: else 404 naming it) over the requested range.
    func compare(_ request: Request) async throws -> (CompareResponse, TimeWindow) {
        try await Self.compare(request, data: data)
    }

    static func compare(_ request: Request, data: DashboardData) async throws -> (CompareResponse, TimeWindow) {
        let query = QueryParameters(request)
        let names = try query.keywordList(limit: 10)
        let rangeRequest = try query.rangeRequest()
        var summaries: [KeywordSummary] = []
        for name in names {
            guard let summary = try await data.canonicalKeyword(name) else {
                throw HTTPError(.notFound, message: "unknown keyword: \(name)")
            }
            if !summaries.contains(where: { $0.keyword == summary.keyword }) { summaries.append(summary) }
        }
        return try await data.compare(summaries, request: rangeRequest)
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func json(_ value: some Encodable) throws -> Response {
        let body = try encoder.encode(value)
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
