@testable import Dashboard
import Foundation
import Hummingbird
import HummingbirdTesting
import PipelineModel
import Storage
import Testing

@Suite struct RouterTests {
    @Test func overviewListsEveryKeywordWithItsLastHour() async throws {
        let app = try Fixtures.app(store: try await Fixtures.store())
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let html = response.text
            #expect(html.contains("data-keyword=\"swift\""))
            #expect(html.contains("data-keyword=\"rust\""))
            #expect(html.contains("data-keyword=\"c++ &lt;b&gt;\""))
            #expect(html.contains("href=\"/keywords/c%2B%2B%20%3Cb%3E\""))
            // swift: 4 posts in the hour, mean (0.8 + 0.6 + 0 − 0.9) / 4 = +0.13; rust had none.
            let swiftRow = try #require(html.firstMatch(of: #/<tr data-keyword="swift">.*?</tr>/#)).output
            #expect(swiftRow.contains("data-field=\"count\">4<"))
            #expect(swiftRow.contains("data-field=\"mean\">+0.13<"))
            #expect(swiftRow.contains(">50%<") && swiftRow.contains(">25%<"))
            #expect(swiftRow.contains("data-chart=\"sparkline\"") && swiftRow.contains("data-chart=\"share\""))
            let rustRow = try #require(html.firstMatch(of: #/<tr data-keyword="rust">.*?</tr>/#)).output
            #expect(rustRow.contains("data-field=\"count\">0<"))
        }
    }

    @Test func keywordPageShowsChartsExtremesAndFeed() async throws {
        let app = try Fixtures.app(store: try await Fixtures.store())
        try await app.test(.router) { client in
            let html = try await client.execute(uri: "/keywords/swift?range=15m", method: .get).text
            #expect(html.contains("data-chart=\"volume\""))
            #expect(html.contains("data-chart=\"histogram\""))
            #expect(html.contains("aria-current=\"page\">15m<"))
            #expect(html.contains("data-field=\"count\">4<"))
            #expect(html.contains("href=\"https://x.com/i/web/status/1001\""))
            let positive = try #require(html.firstMatch(of: #/<ol class="posts most-positive">.*?</ol>/#)).output
            #expect(positive.firstRange(of: "1001")!.lowerBound < positive.firstRange(of: "1002")!.lowerBound)
            let negative = try #require(html.firstMatch(of: #/<ol class="posts most-negative">.*?</ol>/#)).output
            #expect(negative.firstRange(of: "data-post-id=\"1004\"") != nil)
            #expect(html.contains("<ol class=\"posts feed\">"))
            for range in TimeRange.allCases {
                let r = try await client.execute(uri: "/keywords/swift?range=\(range.rawValue)", method: .get)
                #expect(r.status == .ok)
            }
        }
    }

    @Test func oldDataAnchorsTheWindowAtTheLatestPostAndSaysSo() async throws {
        let app = try Fixtures.app(store: try await Fixtures.store())
        try await app.test(.router) { client in
            let html = try await client.execute(uri: "/keywords/rust?range=1h", method: .get).text
            #expect(html.contains("No posts in the last hour"))
            #expect(html.contains("data-field=\"count\">1<"))
            let anchored = try await client.execute(uri: "/keywords/rust?range=1h&end=2026-11-29T12:00:30Z", method: .get).text
            #expect(!anchored.contains("No posts in the last hour"))
            #expect(anchored.contains("data-field=\"count\">0<"))
            let at = try await client.execute(uri: "/keywords/rust?range=15m&at=2026-11-29T09:05:00Z", method: .get).text
            #expect(at.contains("data-field=\"count\">1<"))
        }
    }

    @Test func badParametersAre400WithOneLineReason() async throws {
        let app = try Fixtures.app(store: try await Fixtures.store())
        try await app.test(.router) { client in
            let cases: [(String, String)] = [
                ("/keywords/swift?range=2h", "range must be one of 15m, 1h, 6h, 24h, 7d"),
                ("/keywords/swift?end=yesterday", "end must be an ISO 8601 instant"),
                ("/keywords/swift?end=2026-11-29T12:00:00Z&at=2026-11-29T12:00:00Z", "either end or at"),
                ("/?end=12:00", "end must be an ISO 8601 instant"),
                ("/api/keywords/swift/series?range=1y", "range must be one of"),
                ("/api/keywords/swift/extremes?limit=0", "limit must be an integer from 1 to 50"),
                ("/api/keywords/swift/posts?limit=abc", "limit must be an integer from 1 to 200"),
                ("/api/posts?limit=1000", "limit must be an integer from 1 to 200"),
                ("/api/posts?keyword=%01", "keyword must be 1 to 128 characters"),
                ("/events?limit=-1", "limit must be an integer"),
            ]
            for (uri, reason) in cases {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .badRequest, "\(uri)")
                #expect(response.text.contains(reason), "\(uri): \(response.text)")
                // Pages answer with an HTML page (HardeningTests); the rest with one line.
                if ErrorPage.wantsPage(method: .get, path: String(uri.prefix(while: { $0 != "?" }))) {
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(uri)")
                } else {
                    #expect(!response.text.contains("\n") || response.text.hasSuffix("\n"))
                }
            }
            #expect(try await client.execute(uri: "/keywords/nope", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/api/keywords/nope/series", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/no/such/page", method: .get).status == .notFound)
        }
    }

    @Test func apiServesWhatThePagesShow() async throws {
        let app = try Fixtures.app(store: try await Fixtures.store())
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        try await app.test(.router) { client in
            let overview = try decoder.decode(OverviewResponse.self,
                                              from: Data(buffer: try await client.execute(uri: "/api/keywords", method: .get).body))
            #expect(overview.keywords.map(\.keyword) == ["swift", "c++ <b>", "rust"])
            #expect(overview.keywords[0].window.count == 4)
            #expect(overview.keywords[0].perMinute.count == 60)
            #expect(overview.keywords[0].perMinute.suffix(5) == [1, 0, 1, 1, 1])

            let series = try decoder.decode(SeriesResponse.self, from: Data(buffer:
                try await client.execute(uri: "/api/keywords/swift/series?range=15m", method: .get).body))
            #expect(series.window.resolution == "1m")
            #expect(series.buckets.count == 15)
            #expect(series.buckets.map(\.count).reduce(0, +) == 4)

            let week = try decoder.decode(SeriesResponse.self, from: Data(buffer:
                try await client.execute(uri: "/api/keywords/swift/series?range=7d", method: .get).body))
            #expect(week.window.resolution == "1h" && week.buckets.count == 168)

            let summary = try decoder.decode(SummaryResponse.self, from: Data(buffer:
                try await client.execute(uri: "/api/keywords/swift/summary?range=1h", method: .get).body))
            #expect(summary.totals.count == 4 && summary.totals.positive == 2 && summary.totals.negative == 1)
            #expect(abs((summary.totals.meanCompound ?? 0) - 0.125) < 1e-12)

            let extremes = try decoder.decode(ExtremesResponse.self, from: Data(buffer:
                try await client.execute(uri: "/api/keywords/swift/extremes?range=1h&limit=2", method: .get).body))
            #expect(extremes.mostPositive.map(\.id) == ["1001", "1002"])
            #expect(extremes.mostNegative.map(\.id) == ["1004", "1003"])
            #expect(extremes.mostPositive[0].url == "https://x.com/i/web/status/1001")

            let posts = try decoder.decode(PostsResponse.self, from: Data(buffer:
                try await client.execute(uri: "/api/keywords/swift/posts?limit=3", method: .get).body))
            #expect(posts.posts.map(\.id) == ["1001", "1002", "1003"])
            let all = try decoder.decode(PostsResponse.self, from: Data(buffer:
                try await client.execute(uri: "/api/posts?limit=2", method: .get).body))
            #expect(all.posts.map(\.id) == ["1001", "3001"])
            let filtered = try decoder.decode(PostsResponse.self, from: Data(buffer:
                try await client.execute(uri: "/api/posts?keyword=rust", method: .get).body))
            #expect(filtered.posts.map(\.id) == ["2001"])
        }
    }

    @Test func healthChecksTheStoreWithoutLeakingTheError() async throws {
        let up = try Fixtures.app(store: try await Fixtures.store())
        try await up.test(.router) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
        }
        let down = try Fixtures.app(store: UnreachableStore())
        try await down.test(.router) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(!response.text.contains("secret") && !response.text.contains("mongodb://"))
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .serviceUnavailable)
            #expect(!page.text.contains("secret"))
        }
    }

    @Test func metricsCountRequestsInPrometheusFormat() async throws {
        let app = try Fixtures.app(store: try await Fixtures.store())
        try await app.test(.router) { client in
            _ = try await client.execute(uri: "/api/keywords", method: .get)
            _ = try await client.execute(uri: "/keywords/swift?range=zzz", method: .get)
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = response.text
            #expect(text.contains(#"dashboard_http_requests_total{route="/api/keywords",method="GET",status="200"} 1"#))
            #expect(text.contains(#"dashboard_http_requests_total{route="/keywords/{keyword}",method="GET",status="400"} 1"#))
            #expect(text.contains("dashboard_http_request_duration_seconds_bucket"))
            #expect(text.contains("dashboard_sse_clients 0"))
        }
    }

    @Test func eventsStreamStoreChangesForTheFollowedKeyword() async throws {
        let store = try await Fixtures.store()
        let app = try Fixtures.app(store: store)
        try await app.test(.router) { client in
            // Wait until the one store subscription is open, then connect a client.
            try await waitForMetric(client, "dashboard_store_subscribed 1")
            async let events = client.execute(uri: "/events?keyword=rust&limit=1", method: .get)
            try await waitForMetric(client, "dashboard_sse_clients 1")
            _ = try await store.record([Fixtures.post("4001", "other", keywords: ["swift"], compound: 0, secondsAgo: 1)])
            _ = try await store.record([Fixtures.post("4002", "new", keywords: ["rust"], compound: 0.5, secondsAgo: 1)])
            let response = try await events
            #expect(response.headers[.contentType] == "text/event-stream; charset=utf-8")
            let text = response.text
            #expect(text.hasPrefix("retry: 3000\n: connected\n\n"))
            #expect(text.hasSuffix("event: change\ndata: {\"kind\":\"posts\",\"keywords\":[\"rust\"],\"posts\":1}\n\n"))
            #expect(!text.contains("swift"))
        }
    }

    func waitForMetric(_ client: some TestClientProtocol, _ line: String) async throws {
        for _ in 0..<500 {
            let text = try await client.execute(uri: "/metrics", method: .get).text
            if text.contains(line) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("metric never reached: \(line)")
    }

    @Test func testEndpointIsOffUnlessEnabled() async throws {
        let store = try await Fixtures.store()
        let off = try Fixtures.app(store: store)
        try await off.test(.router) { client in
            let response = try await client.execute(uri: "/test/posts", method: .post, body: ByteBuffer(string: "[]"))
            #expect(response.status == .notFound)
        }
        var configuration = Fixtures.configuration()
        configuration.enableTestEndpoints = true
        let on = try Fixtures.app(store: store, configuration: configuration)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let body = try encoder.encode([Fixtures.post("5001", "hello", compound: 0.2, secondsAgo: 1)])
        try await on.test(.router) { client in
            let response = try await client.execute(uri: "/test/posts", method: .post, body: ByteBuffer(bytes: body))
            #expect(response.text == "inserted 1 duplicates 0\n")
            #expect(try await client.execute(uri: "/test/posts", method: .post, body: ByteBuffer(string: "{")).status == .badRequest)
        }
        #expect(try await store.post(id: "5001") != nil)
    }
}

/// A store whose server is gone: every call fails with an error naming credentials.
struct UnreachableStore: SentimentStore {
    struct Down: Error, CustomStringConvertible {
        var description: String { "connection refused: mongodb://admin:secret@db:27017" }
    }
    func record(_ posts: [ScoredPost]) async throws -> RecordOutcome { throw Down() }
    func keywords() async throws -> [KeywordSummary] { throw Down() }
    func series(keyword: String, in range: DateInterval, resolution: BucketResolution) async throws -> [KeywordAggregate] { throw Down() }
    func extremes(keyword: String, in range: DateInterval, limit: Int) async throws -> KeywordExtremes { throw Down() }
    func recentPosts(keyword: String?, limit: Int) async throws -> [ScoredPost] { throw Down() }
    func posts(_ query: PostQuery) async throws -> PostPage { throw Down() }
    func post(id: String) async throws -> ScoredPost? { throw Down() }
    func changes() async throws -> AsyncThrowingStream<StoreChange, Error> { throw Down() }
    func ping() async throws { throw Down() }
}
