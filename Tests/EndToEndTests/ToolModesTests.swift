import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PipelineTesting
import Testing

/// `sentiment` on the held-out split with accuracy floors, `stream-sim --loop`, every
/// `bench` subcommand with tiny sizes, and `scripts/demo` itself for a bounded time.
@Suite(.serialized, .timeLimit(.minutes(8))) struct ToolModesTests {
    static var root: URL { TestEnvironment.projectRoot }

    /// Floors on the 840 held-out tweets of the seeded 80/20 split (the shipped model is
    /// trained on the other 3,360). Measured on this commit with `sentiment eval --split
    /// test`: lexicon 0.893 / 0.725, bayes 0.758 / 0.518, hybrid 0.893 / 0.730 (accuracy /
    /// macro-F1); each floor is the measurement minus 0.01 (the run is deterministic).
    struct Floor: Sendable, CustomTestStringConvertible {
        var engine: String
        var accuracy: Double
        var macroF1: Double
        var testDescription: String { engine }
    }

    static let floors = [
        Floor(engine: "hybrid", accuracy: 0.883, macroF1: 0.720),
        Floor(engine: "lexicon", accuracy: 0.883, macroF1: 0.715),
        Floor(engine: "bayes", accuracy: 0.748, macroF1: 0.508),
    ]

    @Test(arguments: floors)
    func evalOnTheHeldOutSplitMeetsTheFloor(_ floor: Floor) async throws {
        let run = try await ChildProcess.run(TestEnvironment.executable("sentiment"), [
            "eval", "--data", Self.root.appendingPathComponent(".cache/corpora/tweets_GroundTruth.txt").path,
            "--split", "test", "--engine", floor.engine, "--json",
        ], currentDirectory: Self.root)
        try #require(run.status == 0, "\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(report["items"] as? Int == 840)
        let accuracy = try #require(report["accuracy"] as? Double)
        let macroF1 = try #require(report["macroF1"] as? Double)
        #expect(accuracy >= floor.accuracy, "\(floor.engine) accuracy \(accuracy)")
        #expect(macroF1 >= floor.macroF1, "\(floor.engine) macro-F1 \(macroF1)")
    }

    /// `sentiment score --engine hybrid` on the held-out feed (texts as the pipeline sees
    /// them, with the appended `#keyword`): accuracy against the gold labels, by the
    /// test's own count. Measured 0.898; floor 0.888.
    @Test func scoreWithTheHybridOnTheHeldOutFeedMeetsTheFloor() async throws {
        let folder = try TestFeed.folder()
        let posts = try ModeHarness.feedPosts(try await ModeHarness.makeFeed(split: "test", in: folder))
        #expect(posts.count == 840)
        let labels = try await ModeHarness.labels(of: posts.map { ($0.id, $0.text) }, engine: "hybrid",
                                                  extra: ["--batch-size", "100"])
        #expect(labels.count == posts.count)
        let correct = posts.filter { labels[$0.id] == $0.gold }.count
        let accuracy = Double(correct) / Double(posts.count)
        #expect(accuracy >= 0.888, "hybrid accuracy \(accuracy) on the held-out feed")
    }

    /// `stream-sim --loop`: past the end of a three-post archive the stream goes on, with
    /// the pass number appended to the ids so every post stays unique.
    @Test func streamSimLoopServesFreshIdsPastTheEnd() async throws {
        let folder = try TestFeed.folder()
        let feed = try TestFeed.write(count: 3, to: folder)
        let simulator = try await StreamSimProcess(feed: feed.url, arguments: ["--loop"])
        defer { simulator.stop() }
        let listener = try ChildProcess(TestEnvironment.executable("listener"), [
            "--keyword", "coffee", "--api-base", simulator.base, "--state-dir", folder.appendingPathComponent("state").path,
        ], environment: ["X_BEARER_TOKEN": simulator.token, "MONGODB_URI": ""])
        #expect(await ModeHarness.poll { ModeHarness.printedIDs(listener).count >= 12 || !listener.isRunning })
        let run = await ModeHarness.stop(listener)
        #expect(run.status == 0, "\(run.stderr)")
        let ids = ModeHarness.objects(run.stdout).compactMap { $0["id"] as? String }
        #expect(ids.count >= 12)
        #expect(Set(ids).count == ids.count, "no id repeats across passes: \(ids)")
        #expect(feed.ids.isSubset(of: Set(ids)), "the first pass keeps the archived ids")
        for id in feed.ids { #expect(ids.contains(id + "0001"), "pass 1 appends 0001 to \(id): \(ids)") }
    }

    /// `--restamp` (what `scripts/demo` runs): every post the listener receives carries the
    /// time it was sent as `created_at`, not the archive's 2026-01-01, on every pass.
    @Test func streamSimRestampSendsPostsDatedNow() async throws {
        let folder = try TestFeed.folder()
        let feed = try TestFeed.write(count: 3, to: folder)
        let started = Date()
        let simulator = try await StreamSimProcess(feed: feed.url, arguments: ["--loop", "--restamp", "--rate", "20"])
        defer { simulator.stop() }
        let listener = try ChildProcess(TestEnvironment.executable("listener"), [
            "--keyword", "coffee", "--api-base", simulator.base, "--state-dir", folder.appendingPathComponent("state").path,
        ], environment: ["X_BEARER_TOKEN": simulator.token, "MONGODB_URI": ""])
        #expect(await ModeHarness.poll { ModeHarness.printedIDs(listener).count >= 9 || !listener.isRunning })
        let run = await ModeHarness.stop(listener)
        let ended = Date()
        #expect(run.status == 0, "\(run.stderr)")
        let stamps = ModeHarness.objects(run.stdout).compactMap { $0["createdAt"] as? String }
        #expect(stamps.count >= 9, "\(run.stdout.prefix(600))")
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for stamp in stamps {
            let date = try #require(format.date(from: stamp), "\(stamp)")
            #expect(date >= started.addingTimeInterval(-1) && date <= ended.addingTimeInterval(1), "\(stamp)")
        }
        #expect(Set(stamps).count >= stamps.count - 1, "at 20 posts/s the stamps move on: \(stamps)")
    }

    /// `--loop-same-ids` keeps the archived ids on every pass (clients see duplicates);
    /// `--posts-per-write` and `--host` change how and where it serves, not what.
    @Test func streamSimLoopSameIdsRepeatsTheArchive() async throws {
        let folder = try TestFeed.folder()
        let feed = try TestFeed.write(count: 3, to: folder)
        let simulator = try await StreamSimProcess(feed: feed.url, arguments: [
            "--loop", "--loop-same-ids", "--posts-per-write", "2", "--host", "127.0.0.2",
        ])
        defer { simulator.stop() }
        #expect(simulator.base.hasPrefix("http://127.0.0.2:"), "\(simulator.base)")
        let metricsPort = freeLoopbackPort()
        let listener = try ChildProcess(TestEnvironment.executable("listener"), [
            "--keyword", "coffee", "--api-base", simulator.base, "--state-dir", folder.appendingPathComponent("state").path,
            "--metrics-port", String(metricsPort),
        ], environment: ["X_BEARER_TOKEN": simulator.token, "MONGODB_URI": ""])
        // The listener drops repeats and counts them: wait for two more passes.
        var metrics = ""
        #expect(await ModeHarness.poll {
            metrics = await ModeHarness.get(port: metricsPort, "/metrics")?.body ?? ""
            let duplicates = metrics.split(separator: "\n").first { $0.hasPrefix("listener_posts_duplicate_total ") }
            return duplicates.flatMap { Double($0.split(separator: " ").last ?? "") }.map { $0 >= 6 } ?? false
                || !listener.isRunning
        }, "\(metrics.prefix(1_500))")
        let run = await ModeHarness.stop(listener)
        #expect(run.status == 0, "\(run.stderr)")
        let ids = ModeHarness.objects(run.stdout).compactMap { $0["id"] as? String }
        #expect(Set(ids) == feed.ids, "the same three ids on every pass: \(ids)")

    }

    /// `make-feed --copies --start --window-minutes --keywords`: the corpus twice with
    /// fresh ids, timestamps inside the window, each post tagged with one of the keywords.
    @Test func makeFeedCopiesWindowAndKeywords() async throws {
        let folder = try TestFeed.folder()
        let out = folder.appendingPathComponent("feed.jsonl.gz")
        let made = try await ChildProcess.run(TestEnvironment.executable("stream-sim"), [
            "make-feed", "--ground-truth", Self.root.appendingPathComponent(".cache/corpora/tweets_GroundTruth.txt").path,
            "--out", out.path, "--keywords", "tea,rain", "--start", "2026-03-01T00:00:00Z", "--window-minutes", "10",
            "--copies", "2", "--split", "all",
        ])
        try #require(made.status == 0, "\(made.stderr)")
        #expect(try Data(contentsOf: out).prefix(2) == Data([0x1f, 0x8b]), "a .gz name is gzip-compressed")
        let plain = try await ChildProcess.run(URL(fileURLWithPath: "/bin/gzip"), ["-dc", out.path])
        let objects = ModeHarness.objects(plain.stdout)
        #expect(objects.count == 8_400, "4,200 tweets twice")
        let data = objects.compactMap { $0["data"] as? [String: Any] }
        #expect(Set(data.compactMap { $0["id"] as? String }).count == 8_400, "fresh ids for the copy")
        let times = data.compactMap { $0["created_at"] as? String }.sorted()
        #expect(times.first?.hasPrefix("2026-03-01T00:0") == true && times.last.map { $0 < "2026-03-01T00:10:00.001Z" } == true,
                "\(times.first ?? "") … \(times.last ?? "")")
        #expect(data.allSatisfy { ($0["text"] as? String ?? "").lowercased().contains("tea") || ($0["text"] as? String ?? "").lowercased().contains("rain") })
    }

    /// `sentiment train --split train --extra FILE --min-count N --hybrid`: a model trained
    /// on the training part with extra Naive Bayes data and the combiner scores the held-out
    /// part about as well as the shipped one. Measured 0.893 accuracy; floor 0.85.
    @Test func trainWithSplitExtraMinCountAndHybrid() async throws {
        let folder = try TestFeed.folder()
        let corpora = Self.root.appendingPathComponent(".cache/corpora")
        let model = folder.appendingPathComponent("trained.model")
        let trained = try await ChildProcess.run(TestEnvironment.executable("sentiment"), [
            "train", "--data", corpora.appendingPathComponent("tweets_GroundTruth.txt").path, "--split", "train",
            "--extra", corpora.appendingPathComponent("movieReviewSnippets_GroundTruth.txt").path,
            "--min-count", "2", "--hybrid", "--out", model.path,
        ], currentDirectory: Self.root)
        try #require(trained.status == 0, "\(trained.stderr)")
        let run = try await ChildProcess.run(TestEnvironment.executable("sentiment"), [
            "eval", "--data", corpora.appendingPathComponent("tweets_GroundTruth.txt").path, "--split", "test",
            "--engine", "hybrid", "--model", model.path, "--json",
        ], currentDirectory: Self.root)
        try #require(run.status == 0, "\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect((report["accuracy"] as? Double ?? 0) >= 0.85, "\(report)")
    }

    /// One bench subcommand with sizes that make it a smoke test: it must exit 0 and
    /// print its comparison lines. Timings mean nothing in a debug build on a busy CI box.
    struct BenchCase: Sendable, CustomTestStringConvertible {
        var arguments: @Sendable (_ uri: String, _ feed: URL) -> [String]
        var name: String
        var expected: [String]
        var testDescription: String { name }
    }

    /// Every flag of every subcommand is given, so each is parsed and used at least once.
    static let benches: [BenchCase] = [
        BenchCase(arguments: { _, _ in ["lexicon", "--corpus", ".cache/corpora/tweets_GroundTruth.txt", "--python", python,
                                        "--oracle", "scripts/oracles/vader_scores.py", "--seconds", "0.05"] },
                  name: "lexicon", expected: ["vaderSentiment", "ratio", "parity:"]),
        BenchCase(arguments: { _, _ in ["bayes", "--corpora", ".cache/corpora", "--python", python, "--predict-copies", "1",
                                        "--train-texts", "2000", "--repeats", "1"] },
                  name: "bayes", expected: ["predict   swift", "scikit-learn", "train     swift", "memory    swift +"]),
        BenchCase(arguments: { _, _ in ["listener", "--posts", "2000", "--python", python, "--repeats", "1", "--chunk-size", "4096"] },
                  name: "listener", expected: ["swift frame+decode", "python json.loads loop", "ratio (python time / swift time)"]),
        BenchCase(arguments: { _, _ in ["listener-memory", "--posts", "3000", "--feed-posts", "300",
                                        "--binaries", TestEnvironment.executable("listener").deletingLastPathComponent().path] },
                  name: "listener-memory", expected: ["peak RSS (VmHWM)", "nothing dropped"]),
        BenchCase(arguments: { uri, _ in ["consumer", "--posts", "2000", "--mongo", uri, "--mongo-posts", "200",
                                          "--engine", "hybrid", "--workers", "2", "--batch", "50"] },
                  name: "consumer", expected: ["engine hybrid", "in-memory queue+store", "server raw insert_many", "consumer via MongoDB"]),
        // With no choice flag it runs what `pipeline` runs, and says so.
        BenchCase(arguments: { _, feed in ["pipeline", "--feed", feed.path, "--posts", "3000"] },
                  name: "pipeline (defaults)",
                  expected: ["bench pipeline ran: engine hybrid ", " [default]; consumer idle back-off 5 ms doubling to 500 ms [default];",
                             "posts through the hand-off (PostHandoff", "queue capacity 100000 [default]",
                             "decode → score → aggregate", "the decoding alone in this run", "hand-off: 3000 enqueued, 0 spilled",
                             "received → visible latency"]),
        BenchCase(arguments: { _, feed in ["pipeline", "--feed", feed.path, "--posts", "3000", "--queue-capacity", "500",
                                           "--workers", "2", "--batch", "100", "--engine", "lexicon",
                                           "--idle-backoff", "1ms", "--max-idle-backoff", "2ms", "--direct-enqueue"] },
                  name: "pipeline (every flag)",
                  expected: ["bench pipeline ran: engine lexicon ", "[--engine]", "back-off 1 ms doubling to 2 ms [--idle-backoff/--max-idle-backoff]",
                             "posts enqueued directly [--direct-enqueue]", "queue capacity 500 [--queue-capacity]",
                             "decode → score → aggregate", "received → visible latency"]),
        BenchCase(arguments: { _, _ in ["dashboard", "--requests", "3", "--clients", "3", "--changes", "3", "--days", "1", "--port", "0",
                                        "--export-posts", "2000"] },
                  name: "dashboard", expected: ["store (in memory)", "p99", "SSE fan-out", "/api/compare?", "posts.csv",
                                                "CSV export: 2000 rows"]),
        BenchCase(arguments: { uri, _ in ["dashboard", "--requests", "2", "--clients", "2", "--changes", "2", "--days", "1",
                                          "--mongo", uri] },
                  name: "dashboard --mongo", expected: ["store (MongoDB)", "SSE fan-out"]),
        BenchCase(arguments: { uri, _ in ["mongo", "--uri", uri, "--docs", "300", "--upserts", "300", "--batch", "100",
                                          "--keys", "20", "--rounds", "1", "--python", python] },
                  name: "mongo", expected: ["bulk inserts:", "bulk upserts:", "pymongo"]),
        BenchCase(arguments: { _, _ in ["retention", "--posts", "3000", "--interval", "600", "--retention-days", "7",
                                        "--keywords", "3", "--queue-capacity", "500", "--workers", "2", "--batch", "100",
                                        "--engine", "lexicon"] },
                  name: "retention", expected: ["throughput:", "store:", "peak RSS"]),
        // Against the S3 test server scripts/test exported (TEST_S3_*); every file multipart.
        BenchCase(arguments: { _, _ in ["archive", "--files", "2", "--rotate-bytes", "1000000", "--gzip",
                                        "--multipart-mib", "0", "--part-mib", "5", "--rounds", "1", "--curl", "/usr/bin/curl"] },
                  name: "archive", expected: ["2 gzip files", "multipart, 1 part of 5 MiB", "round 1: ArchiveUploader",
                                              "plain PUT (curl)", "archive upload: ArchiveUploader"]),
    ]

    static var python: String { TestEnvironment.python.path }

    @Test(arguments: benches)
    func benchSubcommandRunsSmall(_ bench: BenchCase) async throws {
        let uri = try TestEnvironment.requireMongoURI()
        let folder = try TestFeed.folder()
        let feed = try await ModeHarness.makeFeed(split: "test", in: folder)
        // The benches find the venv, the oracles and the corpora relative to the project.
        let run = try await ChildProcess.run(TestEnvironment.executable("bench"), bench.arguments(uri, feed),
                                             currentDirectory: Self.root)
        #expect(run.status == 0, "bench \(bench.name): \(run.stderr.suffix(1_500))\n\(run.stdout.suffix(1_500))")
        for text in bench.expected {
            #expect(run.stdout.contains(text), "bench \(bench.name) prints \(text):\n\(run.stdout)")
        }
    }

    /// `scripts/demo` as a user runs it (debug build, free port) but with `SKIP_BUILD=1`:
    /// `swift test` holds the build folder's lock, so the script's own `swift build` would
    /// wait for this very test. It serves the demo feed through stream-sim and the
    /// pipeline, and the dashboard answers with posts. Ctrl-C signals the whole foreground group: the test
    /// sends SIGINT to the script and to every process it started, and all of them end.
    @Test(.timeLimit(.minutes(10))) func demoScriptServesADashboardWithPosts() async throws {
        let port = freeLoopbackPort()
        let demo = try ChildProcess(URL(fileURLWithPath: "/bin/bash"), [Self.root.appendingPathComponent("scripts/demo").path],
                                    environment: ["CONFIG": "debug", "PORT": String(port), "RATE": "200", "SKIP_BUILD": "1"],
                                    currentDirectory: Self.root)
        var posts: [[String: Any]] = []
        let served = await ModeHarness.poll(timeout: .seconds(420)) {
            guard demo.isRunning else { return true }
            let body = await ModeHarness.get(port: port, "/api/posts?limit=20")?.body ?? ""
            posts = (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["posts"] as? [[String: Any]] ?? []
            return posts.count >= 5
        }
        #expect(served && demo.isRunning, "the demo runs and its dashboard shows posts")
        #expect(posts.count >= 5, "\(posts.count) posts")
        let keywords = Set(posts.flatMap { $0["keywords"] as? [String] ?? [] })
        #expect(!keywords.isDisjoint(with: ["coffee", "weekend", "music"]), "\(keywords)")
        #expect(await ModeHarness.get(port: port, "/")?.status == 200)

        let group = [demo.processIdentifier] + Self.descendants(of: demo.processIdentifier)
        #expect(group.count >= 3, "the script, stream-sim and pipeline: \(group)")
        for pid in group { kill(pid, SIGINT) }
        let run = await demo.waitForExit()
        #expect(run.status == 0, "Ctrl-C is a clean stop: \(run.stderr.suffix(1_500))")
        let left = await ModeHarness.poll(timeout: .seconds(30)) { group.allSatisfy { kill($0, 0) != 0 } }
        #expect(left, "nothing the demo started outlives it")
    }

    /// Every process whose parent chain leads to `pid` (from /proc).
    static func descendants(of pid: Int32) -> [Int32] {
        var parents: [Int32: Int32] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let child = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { parents[child] = parent }
        }
        var found: [Int32] = [], frontier = [pid]
        while let next = frontier.popLast() {
            let children = parents.filter { $0.value == next }.map(\.key)
            found += children
            frontier += children
        }
        return found
    }
}
