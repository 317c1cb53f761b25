import PipelineModel
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PipelineTesting
import Testing

/// `listener` modes the README documents, through the executable: replay pacing, the
/// gzip archive and its replay, the token file, raw rules with tags and `--lang` against
/// stream-sim's rule engine, and the metrics endpoint. Without `--mongo` (and with
/// `MONGODB_URI` emptied) the listener prints posts as JSON lines, which the tests read.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ListenerModesTests {
    let folder: URL

    init() throws { folder = try TestFeed.folder() }

    func listener(_ arguments: [String], environment: [String: String] = [:]) throws -> ChildProcess {
        try ChildProcess(TestEnvironment.executable("listener"), arguments + [
            "--state-dir", folder.appendingPathComponent("state").path,
        ], environment: ["MONGODB_URI": "", "X_BEARER_TOKEN": ""].merging(environment) { _, new in new })
    }

    /// A, then B an hour later, then C thirty days later.
    func pacedFeed() throws -> URL {
        let url = folder.appendingPathComponent("paced.jsonl")
        try ModeHarness.writeFeed([
            .init(id: "101", text: "coffee first", createdAt: "2026-01-01T00:00:00.000Z"),
            .init(id: "102", text: "coffee an hour later", createdAt: "2026-01-01T01:00:00.000Z"),
            .init(id: "103", text: "coffee a month later", createdAt: "2026-01-31T01:00:00.000Z"),
        ], to: url)
        return url
    }

    /// `--speed 3600`: the hour between A and B takes a second, so both arrive, in order;
    /// the thirty days before C take 12 minutes, so C has not arrived when the test stops
    /// the replay (`--max-gap 1000h` keeps the gaps as they are). At `--speed max` all
    /// three would be out at once; at `--speed 1` B would wait an hour. On the signal the
    /// post being waited for, already read, is handed off rather than dropped.
    @Test func speedNReplaysNTimesFasterInOrder() async throws {
        let child = try listener(["--replay", try pacedFeed().path, "--speed", "3600", "--max-gap", "1000h",
                                  "--keyword", "coffee"])
        let both = await ModeHarness.poll { ModeHarness.printedIDs(child).count >= 2 || !child.isRunning }
        #expect(both)
        let ids = ModeHarness.printedIDs(child)
        #expect(ids == ["101", "102"], "A then B, and not C yet")
        #expect(child.isRunning, "C's thirty days (12 min at 3600×) are still being waited out")
        let run = await ModeHarness.stop(child)
        #expect(run.status == 0 && child.exitedNormally, "\(run.stderr)")
        #expect(run.stderr.contains("replay stopped before the end of its files"), "\(run.stderr)")
        #expect(ModeHarness.objects(run.stdout).compactMap { $0["id"] as? String } == ["101", "102", "103"],
                "the post being waited for is handed off on the signal, in order")
    }

    /// `--speed 1`: B is an hour after A, so only A is out while the replay waits; with
    /// `--max-gap 1s` the same replay runs to the end by itself.
    @Test func speedOneKeepsTheOriginalPacingAndMaxGapCapsTheWaits() async throws {
        let feed = try pacedFeed()
        let paced = try listener(["--replay", feed.path, "--speed", "1", "--max-gap", "1000h", "--keyword", "coffee"])
        #expect(await ModeHarness.poll { !ModeHarness.printedIDs(paced).isEmpty || !paced.isRunning })
        #expect(ModeHarness.printedIDs(paced) == ["101"])
        #expect(paced.isRunning, "B is an hour away at original pace")
        let stopped = await ModeHarness.stop(paced, signal: SIGINT)
        #expect(stopped.status == 0 && paced.exitedNormally, "\(stopped.stderr)")
        #expect(ModeHarness.objects(stopped.stdout).compactMap { $0["id"] as? String } == ["101", "102"],
                "B, read and waited for, is handed off on the signal; C was never read")

        let capped = try listener(["--replay", feed.path, "--speed", "1", "--max-gap", "1s", "--keyword", "coffee"])
        let run = await capped.waitForExit()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(ModeHarness.objects(run.stdout).compactMap { $0["id"] as? String } == ["101", "102", "103"])
    }

    /// A live stream from stream-sim with the token in a file (no `X_BEARER_TOKEN`),
    /// archived with `--archive-gzip`: the archive is gzip, holds every post, and
    /// `--replay` of the `.gz` files yields the same posts.
    @Test func tokenFileGzipArchiveAndItsReplay() async throws {
        let feed = try TestFeed.write(count: 30, to: folder)
        let simulator = try await StreamSimProcess(feed: feed.url, arguments: [])
        defer { simulator.stop() }
        let tokenFile = folder.appendingPathComponent("token")
        try Data((simulator.token + "\n").utf8).write(to: tokenFile)
        let archive = folder.appendingPathComponent("archive")
        let live = try listener(["--keyword", "coffee", "--api-base", simulator.base, "--bearer-token-file", tokenFile.path,
                                 "--archive", archive.path, "--archive-gzip"])
        #expect(await ModeHarness.poll { Set(ModeHarness.printedIDs(live)).count >= 30 || !live.isRunning })
        let run = await ModeHarness.stop(live)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Set(ModeHarness.objects(run.stdout).compactMap { $0["id"] as? String }) == feed.ids)
        #expect(!run.stderr.contains(simulator.token))

        let files = try FileManager.default.contentsOfDirectory(at: archive, includingPropertiesForKeys: nil)
        #expect(!files.isEmpty && files.allSatisfy { $0.lastPathComponent.hasSuffix(".gz") }, "\(files)")
        for file in files {
            let magic = try Data(contentsOf: file).prefix(2)
            #expect(magic == Data([0x1f, 0x8b]), "\(file.lastPathComponent) is gzip")
        }
        let replay = try listener(["--replay"] + files.map(\.path) + ["--speed", "max", "--keyword", "coffee"])
        let replayed = await replay.waitForExit()
        #expect(replayed.status == 0, "\(replayed.stderr)")
        #expect(Set(ModeHarness.objects(replayed.stdout).compactMap { $0["id"] as? String }) == feed.ids)
    }

    /// `--rule R --tag T` and `--lang en` against stream-sim: keyword rules get `lang:en`,
    /// the raw rule does not; posts count under their tag.
    @Test func rulesTagsAndLanguageDecideWhatArrives() async throws {
        let feedURL = folder.appendingPathComponent("langs.jsonl")
        try ModeHarness.writeFeed(ModeHarness.languagePosts(prefix: 2, unmatched: true), to: feedURL)
        let simulator = try await StreamSimProcess(feed: feedURL, arguments: [])
        defer { simulator.stop() }
        let live = try listener(["--keyword", "coffee", "--lang", "en", "--rule", "tea OR chai", "--tag", "drinks",
                                 "--api-base", simulator.base], environment: ["X_BEARER_TOKEN": simulator.token])
        // The stream is in feed order: once the last post is out, every earlier one is.
        #expect(await ModeHarness.poll { ModeHarness.printedIDs(live).contains("299") || !live.isRunning })
        let run = await ModeHarness.stop(live)
        #expect(run.status == 0, "\(run.stderr)")
        var keywords: [String: [String]] = [:]
        for object in ModeHarness.objects(run.stdout) {
            if let id = object["id"] as? String { keywords[id] = object["keywords"] as? [String] }
        }
        #expect(keywords == ["200": ["coffee"], "201": ["coffee"], "202": ["coffee"], "299": ["coffee"],
                             "220": ["drinks"], "221": ["drinks"], "222": ["drinks"]])
    }

    /// `--metrics-port` on `--metrics-host 127.0.0.2`: `/healthz` answers there (and not on
    /// 127.0.0.1), and `/metrics` counts the posts received.
    @Test func metricsPortServesMetricsAndHealth() async throws {
        let feed = try TestFeed.write(count: 12, to: folder)
        let simulator = try await StreamSimProcess(feed: feed.url, arguments: [])
        defer { simulator.stop() }
        let port = freeLoopbackPort()
        let live = try listener(["--keyword", "coffee", "--api-base", simulator.base, "--metrics-port", String(port),
                                 "--metrics-host", "127.0.0.2"],
                                environment: ["X_BEARER_TOKEN": simulator.token])
        #expect(await ModeHarness.poll { Set(ModeHarness.printedIDs(live)).count >= 12 || !live.isRunning })
        let health = await ModeHarness.get(port: port, "/healthz", host: "127.0.0.2")
        #expect(health?.status == 200, "\(String(describing: health))")
        #expect(await ModeHarness.get(port: port, "/healthz") == nil, "bound to 127.0.0.2 only")
        var metrics = ""
        #expect(await ModeHarness.poll {
            metrics = await ModeHarness.get(port: port, "/metrics", host: "127.0.0.2")?.body ?? ""
            return metrics.contains("listener_posts_received_total 12")
        }, "\(metrics.prefix(2_000))")
        let run = await ModeHarness.stop(live)
        #expect(run.status == 0, "\(run.stderr)")
    }

    /// `--rules-namespace`: the listener owns the rules tagged with its namespace and
    /// leaves a foreign rule alone.
    @Test func rulesNamespaceMarksTheOwnedRules() async throws {
        let feed = try TestFeed.write(count: 5, to: folder)
        let simulator = try await StreamSimProcess(feed: feed.url, arguments: ["--rule", "tea"])
        defer { simulator.stop() }
        let live = try listener(["--keyword", "coffee", "--api-base", simulator.base, "--rules-namespace", "team-a"],
                                environment: ["X_BEARER_TOKEN": simulator.token])
        #expect(await ModeHarness.poll { Set(ModeHarness.printedIDs(live)).count >= 5 || !live.isRunning })
        let run = await ModeHarness.stop(live)
        #expect(run.status == 0, "\(run.stderr)")
        let rules = try await Self.rules(simulator)
        #expect(rules["tea"] == "tea", "the foreign rule stays: \(rules)")
        #expect(rules.values.contains("team-a:coffee"), "the keyword rule carries the namespace: \(rules)")
        #expect(!rules.values.contains { $0.hasPrefix("sentiment-listener:") })
    }

    /// value → tag of the rules stream-sim holds.
    static func rules(_ simulator: StreamSimProcess) async throws -> [String: String] {
        var request = URLRequest(url: URL(string: simulator.base + "/2/tweets/search/stream/rules")!)
        request.setValue("Bearer \(simulator.token)", forHTTPHeaderField: "Authorization")
        let (data, _) = try await URLSession.shared.data(for: request)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        var rules: [String: String] = [:]
        for rule in object?["data"] as? [[String: Any]] ?? [] {
            if let value = rule["value"] as? String { rules[value] = rule["tag"] as? String ?? "" }
        }
        return rules
    }

    /// `--log-level`: at `error` a clean replay prints nothing on stderr; at the default
    /// level it prints its totals.
    @Test func logLevelDecidesWhatReachesStderr() async throws {
        let feed = try TestFeed.write(count: 5, to: folder)
        let quiet = try await listener(["--replay", feed.url.path, "--keyword", "coffee", "--log-level", "error"]).waitForExit()
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
        let normal = try await listener(["--replay", feed.url.path, "--keyword", "coffee"]).waitForExit()
        #expect(normal.status == 0 && normal.stderr.contains("enqueued=5"), "\(normal.stderr)")
    }
}
