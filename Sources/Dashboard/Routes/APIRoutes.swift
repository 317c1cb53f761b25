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
            let limit = try QueryParameters(request).integer("limit", in: 1...200, default: 20)
            let summary = try await context.knownKeyword(in: data)
            let posts = try await data.store.recentPosts(keyword: summary.keyword, limit: limit)
            return try Self.json(PostsResponse(keyword: summary.keyword, posts: posts.map(PostView.init)))
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
        let query = QueryParameters(request)
        let range = try query.range()
        let end = try query.end()
        let summary = try await context.knownKeyword(in: data)
        return (summary, data.window(for: summary, range: range, end: end))
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
