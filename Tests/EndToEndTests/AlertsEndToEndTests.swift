import Foundation
import PipelineTesting
import Testing

/// Alerts through the whole `pipeline`: a replay with a planted burst, detection on the
/// embedded store, delivery to a webhook receiver that fails at first; and the back-test
/// of `pipeline evaluate` over the same archive.
@Suite(.serialized, .timeLimit(.minutes(5))) struct AlertsEndToEndTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("alerts-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// An hour of two keywords at 10 posts a minute, `burst` at 100 a minute in minutes
    /// 40–44 (10×, 5 minutes). Every post of a keyword has the same neutral wording, so
    /// the sentiment mix never moves.
    func writeFeed(burst: Bool = true) throws -> URL {
        var posts: [ModeHarness.FeedPost] = []
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        for minute in 0..<60 {
            for keyword in ["burst", "flat"] {
                let count = burst && keyword == "burst" && (40..<45).contains(minute) ? 100 : 10
                for index in 0..<count {
                    let time = start.addingTimeInterval(TimeInterval(minute * 60) + 59 * Double(index) / Double(count))
                    posts.append(.init(id: "\(keyword == "burst" ? 1 : 2)\(String(format: "%02d%03d", minute, index))",
                                       text: "\(keyword) report number \(index)",
                                       createdAt: time.formatted(.iso8601.year().month().day()
                                           .time(includingFractionalSeconds: true).timeZone(separator: .omitted))))
                }
            }
        }
        posts.sort { $0.createdAt < $1.createdAt }
        let feed = folder.appendingPathComponent(burst ? "burst.jsonl" : "flat.jsonl")
        try ModeHarness.writeFeed(posts, to: feed)
        return feed
    }

    func writeConfig() throws -> URL {
        let config = folder.appendingPathComponent("alerts.json")
        try Data(#"{"quietMinutes": 3, "latenessMinutes": 1, "volume": {"minimumCount": 20}}"#.utf8).write(to: config)
        return config
    }

    @Test func plantedBurstIsOneAlertDeliveredThroughFailures() async throws {
        let receiver = try WebhookReceiver(failFirst: 2)
        defer { receiver.close() }
        let pipeline = try ChildProcess(TestEnvironment.executable("pipeline"), [
            "--replay", try writeFeed().path, "--keyword", "burst", "--keyword", "flat", "--engine", "lexicon",
            "--workers", "1", "--port", "0", "--state-dir", folder.appendingPathComponent("state").path,
            "--alerts-config", try writeConfig().path, "--alert-webhook", receiver.url,
        ], environment: ["MONGODB_URI": ""])
        #expect(await ModeHarness.poll { pipeline.lines(containing: "feed finished").count == 1 || !pipeline.isRunning })
        // Both transitions reach the receiver, through its two 503s (retries back off 0.5 s, 1 s).
        #expect(await ModeHarness.poll { receiver.requests.filter { $0.answered == 200 }.count >= 2 || !pipeline.isRunning })
        // The dashboard shows the episode: the API and the /alerts page of the replay's hours.
        let line = try #require(pipeline.lines(containing: "dashboard at").first)
        let port = try #require(ModeHarness.port(in: line))
        let range = "from=2026-01-01T00:00:00Z&to=2026-01-01T02:00:00Z"
        let api = try #require(await ModeHarness.get(port: port, "/api/alerts?" + range))
        let listed = (try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as? [String: Any])?["alerts"] as? [[String: Any]] ?? []
        #expect(api.status == 200 && listed.count == 1, "\(api.body.prefix(600))")
        #expect(listed.first?["keyword"] as? String == "burst" && listed.first?["state"] as? String == "ended"
                && listed.first?["kind"] as? String == "volume_spike", "\(listed)")
        #expect(try #require(await ModeHarness.get(port: port, "/api/alerts?keyword=flat&" + range)).body.contains(#""alerts":[]"#))
        let page = try #require(await ModeHarness.get(port: port, "/alerts?" + range))
        #expect(page.status == 200 && page.body.contains("data-alert=") && page.body.contains("volume spike"), "\(page.body.suffix(800))")
        let run = await ModeHarness.stop(pipeline)
        #expect(run.status == 0, "\(run.stderr)")

        // Detection: exactly one episode, on `burst` (every transition is logged when recorded).
        let started = run.stderr.split(separator: "\n").filter { $0.contains("alert started") }
        let ended = run.stderr.split(separator: "\n").filter { $0.contains("alert ended") }
        #expect(started.count == 1 && ended.count == 1, "\(started) \(ended)")
        #expect(started.allSatisfy { $0.contains("keyword=burst") } && ended.allSatisfy { $0.contains("keyword=burst") })

        // Delivery: started and ended once each with 200, the 503s retried with the same key.
        let requests = receiver.requests
        #expect(requests.prefix(2).allSatisfy { $0.answered == 503 } && requests.count >= 4, "\(requests)")
        let delivered = requests.filter { $0.answered == 200 }
        #expect(delivered.map { $0.body["state"] ?? "" }.sorted() == ["ended", "started"], "\(delivered)")
        for request in requests {
            #expect(request.idempotencyKey == "\(request.body["id"] ?? ""):\(request.body["state"] ?? "")")
            #expect(request.body["keyword"] == "burst" && request.body["kind"] == "volume_spike")
        }
        let keys = Set(requests.compactMap(\.idempotencyKey))
        #expect(keys.count == 2, "each transition keeps its key through retries: \(keys)")
        #expect(Set(delivered.compactMap(\.idempotencyKey)) == keys)
        let start = try #require(delivered.first { $0.body["state"] == "started" })
        #expect(start.body["start"] == "2026-01-01T00:40:00Z", "\(start.body)")
        let end = try #require(delivered.first { $0.body["state"] == "ended" })
        #expect(end.body["end"] == "2026-01-01T00:45:00Z", "\(end.body)")
        #expect(end.body["text"]?.hasPrefix("Volume spike on \"burst\" ended") == true)
    }

    /// SIGKILL after detection, before any delivery got through (the receiver answers 503):
    /// the restarted pipeline, replaying a feed with no burst at all, still delivers both
    /// transitions of the first run's episode, with their keys, from the journal in the
    /// state folder.
    @Test func aKillBetweenDetectionAndDeliveryStillDeliversAfterRestart() async throws {
        let receiver = try WebhookReceiver(failFirst: .max)
        defer { receiver.close() }
        let state = folder.appendingPathComponent("state").path
        func pipeline(_ feed: URL) throws -> ChildProcess {
            try ChildProcess(TestEnvironment.executable("pipeline"), [
                "--replay", feed.path, "--keyword", "burst", "--keyword", "flat", "--engine", "lexicon",
                "--workers", "1", "--port", "0", "--state-dir", state,
                "--alerts-config", try writeConfig().path, "--alert-webhook", receiver.url,
            ], environment: ["MONGODB_URI": ""])
        }
        func attempted(_ state: String) -> Bool { receiver.requests.contains { $0.body["state"] == state } }
        let first = try pipeline(try writeFeed())
        // Both transitions were recorded (and journaled) before their first attempt.
        #expect(await ModeHarness.poll { (attempted("started") && attempted("ended")) || !first.isRunning })
        first.terminate(signal: SIGKILL)
        _ = await first.waitForExit()
        let keys = Set(receiver.requests.compactMap(\.idempotencyKey))
        #expect(keys.count == 2, "\(receiver.requests)")
        #expect(receiver.requests.allSatisfy { $0.answered == 503 })

        receiver.acceptEverything()
        let second = try pipeline(try writeFeed(burst: false))
        let delivered = { Set(receiver.requests.filter { $0.answered == 200 }.compactMap(\.idempotencyKey)) }
        #expect(await ModeHarness.poll { delivered() == keys || !second.isRunning }, "\(receiver.requests)")
        let run = await ModeHarness.stop(second)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(delivered() == keys)
        let bodies = receiver.requests.filter { $0.answered == 200 }
        #expect(bodies.allSatisfy { $0.body["keyword"] == "burst" && $0.body["kind"] == "volume_spike" }, "\(bodies)")
    }

    @Test func evaluateListsTheAlertsThatWouldHaveFired() async throws {
        let report = folder.appendingPathComponent("report.json")
        let run = try await ChildProcess.run(TestEnvironment.executable("pipeline"), [
            "evaluate", "--replay", try writeFeed().path, "--keyword", "burst", "--keyword", "flat",
            "--engine", "lexicon", "--alerts-config", try writeConfig().path, "--report", report.path,
            "--log-level", "warning", "--state-dir", folder.appendingPathComponent("state").path,
        ], environment: ["MONGODB_URI": ""])
        try #require(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("## Alerts that would have fired"))
        #expect(run.stdout.contains("| burst | volume_spike | 2026-01-01T00:40:00Z | 2026-01-01T00:45:00Z | 100 |"),
                "\(run.stdout)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any]
        let alerts = json?["alerts"] as? [[String: Any]] ?? []
        #expect(alerts.count == 1 && alerts.first?["keyword"] as? String == "burst" && alerts.first?["state"] as? String == "ended",
                "\(alerts)")
    }

    @Test func aBadConfigurationIsOneLineAndExit2() async throws {
        let config = folder.appendingPathComponent("bad.json")
        try Data(#"{"volume": {"treshold": 3}}"#.utf8).write(to: config)
        let run = try await ChildProcess.run(TestEnvironment.executable("pipeline"), [
            "evaluate", "--replay", try writeFeed().path, "--keyword", "burst", "--alerts-config", config.path,
            "--state-dir", folder.appendingPathComponent("state").path,
        ], environment: ["MONGODB_URI": ""])
        #expect(run.status == 2)
        #expect(run.stderr == "pipeline evaluate: error: \(config.path): alerts configuration has an unknown key volume.treshold\n",
                "\(run.stderr)")
    }

    /// The flags override the file: a threshold or minimum no minute reaches silences the
    /// burst; the other knobs are taken (and checked: out of range is one line, exit 2).
    @Test func evaluateFlagsOverrideTheFile() async throws {
        let feed = try writeFeed()
        func evaluate(_ flags: [String]) async throws -> ChildProcess.Output {
            try await ChildProcess.run(TestEnvironment.executable("pipeline"), [
                "evaluate", "--replay", feed.path, "--keyword", "burst", "--keyword", "flat", "--engine", "lexicon",
                "--alerts-config", try writeConfig().path, "--log-level", "warning",
                "--state-dir", folder.appendingPathComponent("state").path,
            ] + flags, environment: ["MONGODB_URI": ""])
        }
        let tuned = try await evaluate(["--alert-window", "30", "--alert-significance", "0.01", "--alert-min-posts", "50"])
        #expect(tuned.status == 0 && tuned.stdout.contains("| burst | volume_spike | 2026-01-01T00:40:00Z"), "\(tuned.stdout)")
        for silencing in [["--alert-threshold", "1000"], ["--alert-min-count", "101"]] {
            let run = try await evaluate(silencing)
            #expect(run.status == 0 && run.stdout.contains("## Alerts that would have fired\n\nNone."), "\(silencing): \(run.stdout)")
        }
        let bad = try await evaluate(["--alert-significance", "0.7"])
        #expect(bad.status == 2)
        #expect(bad.stderr == "pipeline evaluate: error: alerts configuration: sentiment.significance must be between 0 and 0.5 (exclusive)\n",
                "\(bad.stderr)")
    }

    /// `bench alerts` at a small size prints its figure.
    @Test func benchAlertsRunsSmall() async throws {
        let run = try await ChildProcess.run(TestEnvironment.executable("bench"),
                                             ["alerts", "--keywords", "200", "--minutes", "5", "--rate", "20"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("alerts: 200 keywords × 5 minutes:") && run.stdout.contains("ns per keyword per minute"),
                "\(run.stdout)")
    }
}
