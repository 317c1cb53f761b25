import Dashboard
import Foundation
import Hummingbird
import HummingbirdTesting
import MongoKit
import MongoStorage
import PipelineModel
import Storage
import PipelineTesting
import Testing

/// The dashboard over `MongoSentimentStore` on the real test server (libmongoc), and the
/// `dashboard` executable started while its MongoDB is down.
@Suite(.serialized, .timeLimit(.minutes(5))) struct MongoDashboardTests {
    private static let client: Result<MongoClient, any Error> = Result {
        try MongoClient(uri: try TestEnvironment.requireMongoURI())
    }

    /// A prepared store in a database no other test uses.
    private func freshStore() async throws -> MongoSentimentStore {
        let name = "dashboard_test_\(UUID().uuidString.prefix(12).lowercased())"
        let store = MongoSentimentStore(database: try Self.client.get().database(name))
        try await store.prepare()
        return store
    }

    @Test func pagesAPIAndLiveUpdatesServeFromMongoDB() async throws {
        let store = try await freshStore()
        _ = try await store.record(Fixtures.posts)
        let app = try Fixtures.app(store: store)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: "/healthz", method: .get).text == "ok\n")

            let page = try await client.execute(uri: "/keywords/swift?range=15m", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("data-field=\"count\">4<"))
            #expect(page.text.contains("data-chart=\"volume\""))
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))

            let summary = try decoder.decode(SummaryResponse.self, from: Data(buffer:
                try await client.execute(uri: "/api/keywords/swift/summary?range=1h", method: .get).body))
            #expect(summary.totals.count == 4 && summary.totals.positive == 2 && summary.totals.negative == 1)
            let overview = try decoder.decode(OverviewResponse.self, from: Data(buffer:
                try await client.execute(uri: "/api/keywords", method: .get).body))
            #expect(overview.keywords.map(\.keyword) == ["swift", "c++ <b>", "rust"])

            // A change recorded in MongoDB reaches an open SSE stream through change streams.
            try await RouterTests().waitForMetric(client, "dashboard_store_subscribed 1")
            async let events = client.execute(uri: "/events?keyword=rust&limit=1", method: .get)
            try await RouterTests().waitForMetric(client, "dashboard_sse_clients 1")
            _ = try await store.record([Fixtures.post("4002", "new <i>rust</i>", keywords: ["rust"],
                                                      compound: 0.5, secondsAgo: 1)])
            let text = try await events.text
            #expect(text.hasPrefix("retry: 3000\n: connected\n\n"))
            // Posts and buckets come from two change streams: either may arrive first.
            #expect(text.contains(#/event: change\ndata: {"kind":"(posts|aggregates)","keywords":\["rust"\],"posts":[01]}\n\n/#))

            let posts = try decoder.decode(PostsResponse.self, from: Data(buffer:
                try await client.execute(uri: "/api/keywords/rust/posts?limit=1", method: .get).body))
            #expect(posts.posts.map(\.text) == ["new <i>rust</i>"])
        }
    }

    @Test func healthAnswers503InTimeWhenTheServerIsGone() async throws {
        // Nothing listens on this port: libmongoc's server selection fails.
        let client = try MongoClient(uri: "mongodb://127.0.0.1:\(freeLoopbackPort())/?serverSelectionTimeoutMS=200")
        let store = MongoSentimentStore(database: client.database("unreachable"))
        var configuration = Fixtures.configuration()
        configuration.healthTimeout = .seconds(30)
        let app = try Fixtures.app(store: store, configuration: configuration)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(response.text == "store unavailable\n")
        }
        // A ping slower than the health timeout still gets an answer.
        configuration.healthTimeout = .milliseconds(20)
        let slow = try Fixtures.app(store: SlowStore(), configuration: configuration)
        try await slow.test(.router) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(response.text == "store unavailable: no answer within 0.02 s\n")
        }
    }

    @Test func executableStartsWithMongoDBDownAndReportsUnhealthy() async throws {
        let port = freeLoopbackPort()
        let dashboard = try ChildProcess(TestEnvironment.executable("dashboard"), [
            "--mongo", "mongodb://127.0.0.1:\(freeLoopbackPort())/?serverSelectionTimeoutMS=200",
            "--port", "\(port)", "--log-level", "warning",
        ])
        defer { dashboard.terminate(signal: SIGKILL) }
        var answer: (Int, String)?
        for _ in 0..<300 where answer == nil && dashboard.isRunning {
            if let reply = try? await LoopbackHTTP.request(.get, port: port, path: "/healthz", timeout: .seconds(10)) {
                answer = (reply.status, reply.text)
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        guard let (status, body) = answer else {
            let output = await dashboard.waitForExit()
            Issue.record("dashboard never answered; stderr: \(output.stderr)")
            return
        }
        #expect(status == 503)
        #expect(body == "store unavailable: MongoDB unreachable (no server selected in time)\n")
        #expect(dashboard.isRunning)
        dashboard.terminate()
        let output = await dashboard.waitForExit()
        #expect(output.stderr.contains("MongoDB not reachable; serving anyway"))
        #expect(!output.stderr.contains("Fatal error"))
    }

    @Test func unparsableURIIsOneLineAndExit2() async throws {
        let output = try await ChildProcess.run(TestEnvironment.executable("dashboard"),
                                                ["--mongo", "postgres://nope", "--port", "0"])
        #expect(output.status == 2)
        #expect(output.stderr.hasPrefix("dashboard: error: --mongo postgres://nope is not a valid MongoDB URI"))
        #expect(output.stderr.split(separator: "\n").count == 1, "stderr: \(output.stderr)")
    }
}

/// A store whose ping never returns in time.
private struct SlowStore: SentimentStore {
    func record(_ posts: [ScoredPost]) async throws -> RecordOutcome { RecordOutcome(inserted: 0, duplicates: 0) }
    func keywords() async throws -> [KeywordSummary] { [] }
    func series(keyword: String, in range: DateInterval, resolution: BucketResolution) async throws -> [KeywordAggregate] { [] }
    func extremes(keyword: String, in range: DateInterval, limit: Int) async throws -> KeywordExtremes {
        KeywordExtremes(mostPositive: [], mostNegative: [])
    }
    func recentPosts(keyword: String?, limit: Int) async throws -> [ScoredPost] { [] }
    func posts(_ query: PostQuery) async throws -> PostPage { PostPage(posts: [], next: nil) }
    func post(id: String) async throws -> ScoredPost? { nil }
    func changes() async throws -> AsyncThrowingStream<StoreChange, Error> { AsyncThrowingStream { _ in } }
    func ping() async throws { try await Task.sleep(for: .seconds(5)) }
}
