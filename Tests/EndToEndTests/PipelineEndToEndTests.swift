import Foundation
import PipelineTesting
import Testing

/// Runs the built executables end to end: `stream-sim` serves the demo feed over the X API,
/// `pipeline` follows it through libcurl → queue → workers → store → dashboard, and the
/// final aggregates must equal what the `sentiment` CLI says about the very same posts.
@Suite(.serialized, .timeLimit(.minutes(10))) struct PipelineEndToEndTests {
    let workspace: URL

    init() throws {
        workspace = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
    }

    /// The demo feed built by `stream-sim make-feed` from the ground-truth tweets (all of
    /// them, or the 840 held-out ones for the slower MongoDB test server).
    func makeFeed(split: String = "all") async throws -> URL {
        let corpus = TestEnvironment.projectRoot.appendingPathComponent(".cache/corpora/tweets_GroundTruth.txt")
        let feed = workspace.appendingPathComponent("feed.jsonl")
        let made = try await ChildProcess.run(TestEnvironment.executable("stream-sim"), [
            "make-feed", "--out", feed.path, "--ground-truth", corpus.path,
            "--keywords", "coffee,weekend,music", "--split", split,
        ])
        #expect(made.status == 0, "make-feed failed: \(made.stderr)")
        return feed
    }

    /// The pipeline on its embedded store, and on MongoDB's queue and store.
    enum Backend: String, CaseIterable, Sendable { case embedded, mongo }

    @Test(arguments: Backend.allCases)
    func liveStreamThroughThePipelineAggregatesExactlyWhatTheEngineSays(backend: Backend) async throws {
        var backendArguments: [String] = []
        var probe: InboxProbe?
        if backend == .mongo {
            let mongo = try InboxProbe(uri: try TestEnvironment.requireMongoURI(), prefix: "pipeline_e2e")
            backendArguments = ["--mongo", try TestEnvironment.requireMongoURI(), "--database", mongo.databaseName]
            probe = mongo
        }
        let feed = try await makeFeed(split: backend == .mongo ? "test" : "all")
        let token = "e2e-token-\(UUID().uuidString)"
        let sim = try ChildProcess(TestEnvironment.executable("stream-sim"), [
            "--archive", feed.path, "--port", "0", "--speed", "max", "--heartbeat", "1", "--bearer-token", token,
        ])
        defer { sim.terminate() }
        let listening = try #require(await sim.waitForLine(containing: "listening on"), "stream-sim did not start")
        let apiBase = String(listening[listening.range(of: "http://")!.lowerBound...])

        let archive = workspace.appendingPathComponent("archive")
        let summary = workspace.appendingPathComponent("summary.json")
        let feedPosts = try String(contentsOf: feed, encoding: .utf8).split(separator: "\n").count
        let run = try await ChildProcess.run(TestEnvironment.executable("pipeline"), [
            "--api-base", apiBase, "--keyword", "coffee", "--keyword", "weekend", "--keyword", "music",
            "--engine", "lexicon", "--port", String(freeLoopbackPort()), "--archive", archive.path,
            "--spill", workspace.appendingPathComponent("spill.jsonl").path,
            "--stop-after", String(feedPosts), "--summary", summary.path,
        ] + backendArguments, environment: ["X_BEARER_TOKEN": token])
        try #require(run.status == 0, "pipeline failed: \(run.stderr)")
        #expect(run.stdout.contains("dashboard at http://127.0.0.1:"))

        // What the listener archived is what the stream delivered: score those posts with
        // the sentiment CLI and count them per matched keyword.
        let received = try ArchivedPosts.read(folder: archive)
        #expect(received.count == feedPosts, "every post of the feed arrives exactly once")
        let input = received.map { post in
            String(decoding: try! JSONSerialization.data(withJSONObject: ["id": post.id, "text": post.text]), as: UTF8.self)
        }.joined(separator: "\n") + "\n"
        let scored = try await ChildProcess.run(TestEnvironment.executable("sentiment"),
                                                ["score", "--engine", "lexicon", "-"], stdin: Data(input.utf8))
        try #require(scored.status == 0, "sentiment score failed: \(scored.stderr)")
        var labels: [String: String] = [:]
        for line in scored.stdout.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            labels[object["id"] as! String] = object["label"] as? String
        }
        var expected: [String: [String: Int]] = [:]
        for post in received {
            let label = try #require(labels[post.id])
            for keyword in Set(post.keywords) {
                expected[keyword, default: [:]][label, default: 0] += 1
                expected[keyword, default: [:]]["count", default: 0] += 1
            }
        }

        let totals = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: summary)) as? [String: Any])
        let keywords = try #require(totals["keywords"] as? [[String: Any]])
        var actual: [String: [String: Int]] = [:]
        for entry in keywords {
            let keyword = entry["keyword"] as! String
            for field in ["count", "positive", "neutral", "negative"] {
                actual[keyword, default: [:]][field] = entry[field] as? Int ?? 0
            }
        }
        for (keyword, counts) in expected {
            for field in ["count", "positive", "neutral", "negative"] {
                #expect(actual[keyword]?[field] ?? 0 == counts[field] ?? 0, "\(keyword) \(field)")
            }
        }
        #expect(Set(actual.keys) == Set(expected.keys))
        #expect(Set(expected.keys) == ["coffee", "weekend", "music"])
        if let probe {
            // The posts went through MongoDB: stored once each, and the queue is empty.
            #expect(try await probe.database.collection("tweets").count() == received.count)
            #expect(try await probe.count() == 0)
        }
        // Awaited, not left running: a drop blocks the test server's writes while it lasts
        // (~25 s for 20k posts on the Python server) and stalled the next test's consumer.
        if let probe { await probe.drop() }
    }
}

extension PipelineEndToEndTests {
    @Test func evaluateReplaysALabelledFeedAndReportsAccuracyAndLatency() async throws {
        let feed = try await makeFeed()
        let report = workspace.appendingPathComponent("report.json")
        let run = try await ChildProcess.run(TestEnvironment.executable("pipeline"), [
            "evaluate", "--replay", feed.path, "--keyword", "coffee", "--keyword", "weekend", "--keyword", "music",
            "--engine", "lexicon", "--report", report.path,
            "--spill", workspace.appendingPathComponent("spill.jsonl").path,
        ])
        try #require(run.status == 0, "evaluate failed: \(run.stderr)")
        #expect(run.stdout.contains("| accuracy |"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        let feedPosts = try String(contentsOf: feed, encoding: .utf8).split(separator: "\n").count
        #expect(object["posts"] as? Int == feedPosts)
        let accuracy = try #require(object["accuracy"] as? [String: Any], "gold labels in the feed are read")
        #expect(accuracy["labelled"] as? Int == feedPosts)
        let confusion = try #require(accuracy["confusion"] as? [[Int]])
        #expect(confusion.joined().reduce(0, +) == feedPosts)
        let correct = confusion.indices.reduce(0) { $0 + confusion[$1][$1] }
        let reported = try #require(accuracy["accuracy"] as? Double)
        #expect(abs(reported - Double(correct) / Double(feedPosts)) < 1e-9)
        let latency = try #require(object["latency"] as? [String: Double])
        #expect((latency["p50Milliseconds"] ?? -1) >= 0)
        #expect((latency["p99Milliseconds"] ?? -1) >= (latency["p50Milliseconds"] ?? 0))
    }

    @Test func badInputIsOneClearLineAndANonZeroExit() async throws {
        let missing = try await ChildProcess.run(TestEnvironment.executable("pipeline"), [
            "evaluate", "--replay", workspace.appendingPathComponent("nope.jsonl").path,
        ])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("cannot read replay file"))
        let engine = try await ChildProcess.run(TestEnvironment.executable("pipeline"), [
            "--keyword", "x", "--engine", "magic",
        ])
        #expect(engine.status != 0)
        #expect(engine.stderr.contains("--engine magic"))
    }
}

/// Posts read back from the listener's archive (`<time>\t<message>` lines).
struct ArchivedPosts {
    var id: String
    var text: String
    var keywords: [String]

    static func read(folder: URL) throws -> [ArchivedPosts] {
        var posts: [String: ArchivedPosts] = [:]
        for file in try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        where file.lastPathComponent.hasSuffix(".jsonl") {
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                guard let tab = line.firstIndex(of: "\t") else { continue }
                let message = Data(line[line.index(after: tab)...].utf8)
                guard let object = try JSONSerialization.jsonObject(with: message) as? [String: Any],
                      let data = object["data"] as? [String: Any], let id = data["id"] as? String,
                      let text = data["text"] as? String else { continue }
                let rules = object["matching_rules"] as? [[String: Any]] ?? []
                // Tags are the listener's namespaced tags: the keyword follows the last ':'.
                let keywords = rules.compactMap { ($0["tag"] as? String).map { String($0.dropFirst("sentiment-listener:".count)) } }
                posts[id] = ArchivedPosts(id: id, text: decodeEntities(text), keywords: keywords)
            }
        }
        return Array(posts.values)
    }

    /// The API escapes exactly these three characters in post text.
    static func decodeEntities(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
