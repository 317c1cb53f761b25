import PipelineModel
import Foundation
import MongoKit
import PipelineTesting
import Testing

/// The distributed setup as the README runs it: `listener` and `consumer` finding MongoDB
/// through `MONGODB_URI` alone, the consumer with each engine, its metrics endpoint and
/// SIGINT; `dashboard --mongo` showing what they recorded; `dashboard --demo`; and
/// `DASHBOARD_TOKEN` guarding a dashboard bound off loopback.
@Suite(.serialized, .timeLimit(.minutes(6))) struct ServiceModesTests {
    static let texts = ["I love this coffee, it is great!", "This coffee is awful and sad.", "coffee at noon",
                        "Not bad at all, coffee :)", "worst coffee ever", "coffee meh"]

    @Test(arguments: ["hybrid", "bayes"])
    func environmentURIConsumerEngineSIGINTAndMongoDashboard(engine: String) async throws {
        let uri = try TestEnvironment.requireMongoURI()
        let folder = try TestFeed.folder()
        let probe = try InboxProbe(uri: uri, prefix: "modes_\(engine)")
        // Every tenth post is German: the consumer's language gate leaves it unscored and counts it.
        let posts = (0..<40).map {
            ModeHarness.FeedPost(id: String(800_000 + $0), text: "\(Self.texts[$0 % 6]) #\($0)", lang: $0 % 10 == 9 ? "de" : "en")
        }
        let german = Set(posts.filter { $0.lang == "de" }.map(\.id))
        let feed = folder.appendingPathComponent("feed.jsonl")
        try ModeHarness.writeFeed(posts, to: feed)
        let environment = ["MONGODB_URI": uri]

        // listener: no --mongo, the URI comes from the environment.
        let listened = try await ChildProcess.run(TestEnvironment.executable("listener"), [
            "--replay", feed.path, "--keyword", "coffee", "--database", probe.databaseName,
            "--state-dir", folder.appendingPathComponent("state").path,
        ], environment: environment)
        #expect(listened.status == 0, "\(listened.stderr)")
        #expect(listened.stdout.isEmpty, "posts went to MongoDB, not stdout")
        #expect(try await probe.count() == posts.count)

        // consumer: the same, with --engine and --metrics-port; stopped with SIGINT.
        let metricsPort = freeLoopbackPort()
        let consumer = try ChildProcess(TestEnvironment.executable("consumer"), [
            "--database", probe.databaseName, "--engine", engine, "--metrics-port", String(metricsPort),
            "--metrics-host", "127.0.0.2",
        ], environment: environment)
        let tweets = probe.database.collection("tweets")
        let stored = try await ModeHarness.poll {
            guard consumer.isRunning else { return true }
            let recorded = try await tweets.count()
            let waiting = try await probe.count()
            return recorded == posts.count && waiting == 0
        }
        #expect(stored)
        #expect(await ModeHarness.get(port: metricsPort, "/healthz", host: "127.0.0.2")?.status == 200)
        let metrics = await ModeHarness.get(port: metricsPort, "/metrics", host: "127.0.0.2")?.body ?? ""
        #expect(metrics.contains("consumer_posts_total \(posts.count)"), "\(metrics.prefix(1_500))")
        #expect(metrics.contains("consumer_unscored_posts_total \(german.count)"), "\(metrics.prefix(1_500))")
        let run = await ModeHarness.stop(consumer, signal: SIGINT)
        #expect(run.status == 0 && consumer.exitedNormally, "\(run.stderr.suffix(800))")

        // Each post carries the label the sentiment CLI gives with the same engine (German ones: unscored).
        let expected = try await ModeHarness.labels(of: posts.map { ($0.id, $0.text) }, engine: engine)
        let documents = try await tweets.find([:])
        #expect(documents.count == posts.count)
        for document in documents {
            let id = try #require(document["_id"]?.stringValue)
            #expect(document["label"]?.stringValue == (german.contains(id) ? "unscored" : expected[id]), "post \(id)")
        }

        // dashboard --mongo: the API and the keyword page show the recorded posts.
        let dashboard = try ChildProcess(TestEnvironment.executable("dashboard"), [
            "--mongo", uri, "--database", probe.databaseName, "--port", "0",
        ], environment: ["MONGODB_URI": ""])
        let line = try #require(await dashboard.waitForLine(containing: "dashboard at"))
        let port = try #require(ModeHarness.port(in: line))
        let api = try #require(await ModeHarness.get(port: port, "/api/posts?keyword=coffee&limit=200"))
        #expect(api.status == 200)
        let listed = (try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as? [String: Any])?["posts"] as? [[String: Any]] ?? []
        #expect(Set(listed.compactMap { $0["id"] as? String }) == Set(posts.map(\.id)), "\(api.body.prefix(500))")
        let overview = try #require(await ModeHarness.get(port: port, "/api/keywords"))
        #expect(overview.body.contains(#""keyword":"coffee""#), "\(overview.body.prefix(500))")
        let page = try #require(await ModeHarness.get(port: port, "/keywords/coffee"))
        #expect(page.status == 200)
        let newest = try #require(listed.first?["text"] as? String)
        #expect(page.body.contains(newest.replacingOccurrences(of: "'", with: "&#39;")), "the page lists the newest post")
        let stopped = await ModeHarness.stop(dashboard)
        #expect(stopped.status == 0, "\(stopped.stderr)")
        // Awaited, not left running: a drop blocks the test server's writes while it lasts
        // (~25 s for 20k posts on the Python server) and stalled the next test's consumer.
        await probe.drop()
    }

    @Test func demoDashboardServesSyntheticPosts() async throws {
        let dashboard = try ChildProcess(TestEnvironment.executable("dashboard"), ["--demo", "--port", "0"])
        let line = try #require(await dashboard.waitForLine(containing: "dashboard at"))
        let port = try #require(ModeHarness.port(in: line))
        // The demo store fills in the background: poll until the overview lists keywords.
        var keywords: [[String: Any]] = []
        var overview = ""
        #expect(await ModeHarness.poll(timeout: .seconds(60)) {
            overview = await ModeHarness.get(port: port, "/api/keywords")?.body ?? ""
            keywords = (try? JSONSerialization.jsonObject(with: Data(overview.utf8)) as? [String: Any])?["keywords"] as? [[String: Any]] ?? []
            return keywords.count >= 2
        }, "\(overview.prefix(300))")
        let first = try #require(keywords.first?["keyword"] as? String)
        let posts = try #require(await ModeHarness.get(port: port, "/api/posts?limit=5"))
        #expect(posts.status == 200 && posts.body.contains(#""label""#), "\(posts.body.prefix(300))")
        let page = try #require(await ModeHarness.get(port: port, "/keywords/\(first)"))
        #expect(page.status == 200 && page.body.contains("data-chart=\"volume\""))
        let run = await ModeHarness.stop(dashboard)
        #expect(run.status == 0, "\(run.stderr)")
    }

    /// `--host 0.0.0.0` needs `DASHBOARD_TOKEN`: without one it does not start; with a
    /// strong one, requests without it are refused and requests with it (bearer, basic
    /// auth password, `?token=`) are served.
    @Test func offLoopbackTheDashboardNeedsItsToken() async throws {
        let refused = try await ChildProcess.run(TestEnvironment.executable("dashboard"),
                                                 ["--demo", "--host", "0.0.0.0", "--port", "0"],
                                                 environment: ["DASHBOARD_TOKEN": ""])
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")

        let token = (0..<24).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let dashboard = try ChildProcess(TestEnvironment.executable("dashboard"),
                                         ["--demo", "--host", "0.0.0.0", "--port", "0"],
                                         environment: ["DASHBOARD_TOKEN": token])
        let line = try #require(await dashboard.waitForLine(containing: "dashboard at"))
        let port = try #require(ModeHarness.port(in: line))
        for path in ["/", "/api/keywords", "/metrics"] {
            let without = await ModeHarness.get(port: port, path)
            #expect(without?.status == 401, "\(path) without the token: \(String(describing: without))")
            let wrong = await ModeHarness.get(port: port, path, headers: ["Authorization": "Bearer \(token.dropLast())\(token.last == "a" ? "b" : "a")"])
            #expect(wrong?.status == 401, "\(path) with a wrong token")
            let bearer = await ModeHarness.get(port: port, path, headers: ["Authorization": "Bearer \(token)"])
            #expect(bearer?.status == 200, "\(path) with the token")
        }
        let basic = Data("viewer:\(token)".utf8).base64EncodedString()
        #expect(await ModeHarness.get(port: port, "/api/keywords", headers: ["Authorization": "Basic \(basic)"])?.status == 200)
        let query = await ModeHarness.get(port: port, "/api/keywords?token=\(token)")
        #expect(query?.status == 200 || query?.status == 303, "?token= once in the browser: \(String(describing: query))")
        let run = await ModeHarness.stop(dashboard)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains(token), "the token is never logged")
    }
}
