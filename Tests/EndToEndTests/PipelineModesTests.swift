import PipelineModel
import Foundation
import MongoKit
import PipelineTesting
import Testing

/// `pipeline` as users run it: with its default engine (the hybrid) scored on the
/// held-out split of the corpus the shipped model was trained on, `evaluate` checked
/// against scikit-learn and against the test's own clock, a paced replay, `--labels`
/// and a Markdown report.
@Suite(.serialized, .timeLimit(.minutes(8))) struct PipelineModesTests {
    /// Floors for the default engine on the 840 held-out tweets (`make-feed --split
    /// test`). Measured with `pipeline evaluate` (no --engine) on this commit: accuracy
    /// 0.898, macro-F1 0.736; the floors leave 0.01 for nothing but a real regression of
    /// the model or the combiner (the run is deterministic).
    static let accuracyFloor = 0.888
    static let macroF1Floor = 0.726

    static let keywordArguments = ["--keyword", "coffee", "--keyword", "weekend", "--keyword", "music"]

    let folder: URL

    init() throws { folder = try TestFeed.folder() }

    @Test func defaultEngineIsTheHybridAndMeetsItsFloorOnTheHeldOutSplit() async throws {
        let uri = try TestEnvironment.requireMongoURI()
        let feed = try await ModeHarness.makeFeed(split: "test", in: folder)
        let posts = try ModeHarness.feedPosts(feed)
        #expect(posts.count == 840)
        let probe = try InboxProbe(uri: uri, prefix: "modes_evaluate")

        // evaluate with defaults on MongoDB, timed by the test's own clock.
        let report = folder.appendingPathComponent("report.json")
        let started = ContinuousClock.now
        let run = try await ChildProcess.run(TestEnvironment.executable("pipeline"), [
            "evaluate", "--replay", feed.path, "--mongo", uri, "--database", probe.databaseName, "--report", report.path,
            "--state-dir", folder.appendingPathComponent("state").path,
        ] + Self.keywordArguments, environment: ["MONGODB_URI": ""])
        let wall = ContinuousClock.now - started
        try #require(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        #expect(object["engine"] as? String == "hybrid", "the default engine")
        #expect(object["backend"] as? String == "MongoDB")
        let accuracy = try #require(object["accuracy"] as? [String: Any])
        let reportedAccuracy = try #require(accuracy["accuracy"] as? Double)
        let reportedF1 = try #require(accuracy["macroF1"] as? Double)
        #expect(reportedAccuracy >= Self.accuracyFloor, "accuracy \(reportedAccuracy)")
        #expect(reportedF1 >= Self.macroF1Floor, "macro-F1 \(reportedF1)")

        // Latency and wall time are bounded by what the test measured around the run.
        let wallMilliseconds = wall.inMilliseconds
        let latency = try #require(object["latency"] as? [String: Double])
        let figures = ["p50Milliseconds", "p90Milliseconds", "p99Milliseconds", "maxMilliseconds"].map { latency[$0] ?? -1 }
        #expect(figures.allSatisfy { $0 >= 0 && $0 <= wallMilliseconds }, "\(figures) within 0…\(wallMilliseconds) ms")
        #expect(figures == figures.sorted(), "p50 ≤ p90 ≤ p99 ≤ max: \(figures)")
        let seconds = try #require(object["seconds"] as? Double)
        #expect(seconds > 0 && seconds * 1_000 <= wallMilliseconds)
        #expect(abs((object["postsPerSecond"] as? Double ?? 0) - 840 / seconds) < 1e-6 * 840 / seconds)

        // Each stored post carries the label `sentiment score --engine hybrid` gives it.
        let documents = try await probe.database.collection("tweets").find([:])
        #expect(documents.count == posts.count)
        var predicted: [String: String] = [:]
        var keywordsOf: [String: [String]] = [:]
        for document in documents {
            let id = try #require(document["_id"]?.stringValue)
            predicted[id] = document["label"]?.stringValue
            keywordsOf[id] = document["keywords"]?.arrayValue?.compactMap(\.stringValue) ?? []
        }
        let cli = try await ModeHarness.labels(of: posts.map { ($0.id, $0.text) }, engine: "hybrid")
        let lexicon = try await ModeHarness.labels(of: posts.map { ($0.id, $0.text) }, engine: "lexicon")
        #expect(posts.filter { predicted[$0.id] != cli[$0.id] }.isEmpty, "stored labels are the hybrid's")
        #expect(posts.contains { cli[$0.id] != lexicon[$0.id] }, "the hybrid is distinguishable from the lexicon here")

        // scikit-learn's metrics on the same predictions.
        let pairs = posts.map { "\($0.gold)\t\(predicted[$0.id] ?? "")" }.joined(separator: "\n") + "\n"
        let oracle = try await ChildProcess.run(TestEnvironment.python, ["-c", Self.sklearnMetrics], stdin: Data(pairs.utf8))
        try #require(oracle.status == 0, "\(oracle.stderr)")
        let sklearn = try #require(try JSONSerialization.jsonObject(with: Data(oracle.stdout.utf8)) as? [String: Any])
        #expect(abs(reportedAccuracy - (sklearn["accuracy"] as? Double ?? -1)) < 1e-9, "\(sklearn)")
        #expect(abs(reportedF1 - (sklearn["macro_f1"] as? Double ?? -1)) < 1e-9, "\(sklearn)")
        #expect(abs((accuracy["macroRecall"] as? Double ?? -2) - (sklearn["macro_recall"] as? Double ?? -1)) < 1e-9)
        #expect(accuracy["confusion"] as? [[Int]] == sklearn["confusion"] as? [[Int]])

        // `pipeline` (run) with defaults, embedded, --exit-when-done: its per-keyword totals
        // are those of the hybrid labels stored above.
        let summary = folder.appendingPathComponent("summary.json")
        let embedded = try await ChildProcess.run(TestEnvironment.executable("pipeline"), [
            "--replay", feed.path, "--port", "0", "--exit-when-done", "--summary", summary.path,
            "--state-dir", folder.appendingPathComponent("state-run").path,
        ] + Self.keywordArguments, environment: ["MONGODB_URI": ""])
        try #require(embedded.status == 0, "\(embedded.stderr)")
        var expected: [String: [String: Int]] = [:]
        for (id, keywords) in keywordsOf {
            for keyword in keywords {
                expected[keyword, default: [:]]["count", default: 0] += 1
                expected[keyword, default: [:]][predicted[id] ?? "", default: 0] += 1
            }
        }
        let totals = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: summary)) as? [String: Any])
        var actual: [String: [String: Int]] = [:]
        for entry in totals["keywords"] as? [[String: Any]] ?? [] {
            let keyword = entry["keyword"] as? String ?? ""
            for field in ["count", "positive", "neutral", "negative"] where (entry[field] as? Int ?? 0) > 0 {
                actual[keyword, default: [:]][field] = entry[field] as? Int
            }
        }
        #expect(actual == expected)
        #expect(Set(actual.keys) == ["coffee", "weekend", "music"])
        // Awaited, not left running: a drop blocks the test server's writes while it lasts
        // (~25 s for 20k posts on the Python server) and stalled the next test's consumer.
        await probe.drop()
    }

    /// Reads `gold<TAB>predicted` lines; prints scikit-learn's accuracy, macro-F1,
    /// macro-recall and confusion matrix (negative, neutral, positive).
    static let sklearnMetrics = """
        import json, sys
        from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, recall_score
        rows = [line.rstrip("\\n").split("\\t") for line in sys.stdin if line.strip()]
        gold = [r[0] for r in rows]; pred = [r[1] for r in rows]
        labels = ["negative", "neutral", "positive"]
        print(json.dumps({
            "accuracy": accuracy_score(gold, pred),
            "macro_f1": f1_score(gold, pred, labels=labels, average="macro", zero_division=0),
            "macro_recall": recall_score(gold, pred, labels=labels, average="macro", zero_division=0),
            "confusion": confusion_matrix(gold, pred, labels=labels).tolist(),
        }))
        """

    /// `pipeline --replay --speed 10`: B ten seconds after A arrives a second later, C a
    /// day later is still being waited for (2.4 h at 10×; `--max-gap 1000h` keeps the gap)
    /// when the test stops it.
    @Test func replayAtSpeedTenKeepsThePacing() async throws {
        let feed = folder.appendingPathComponent("paced.jsonl")
        try ModeHarness.writeFeed([
            .init(id: "301", text: "coffee is lovely", createdAt: "2026-01-01T00:00:00.000Z"),
            .init(id: "302", text: "coffee ten seconds later", createdAt: "2026-01-01T00:00:10.000Z"),
            .init(id: "303", text: "coffee a day later", createdAt: "2026-01-02T00:00:10.000Z"),
        ], to: feed)
        let pipeline = try ChildProcess(TestEnvironment.executable("pipeline"), [
            "--replay", feed.path, "--speed", "10", "--max-gap", "1000h", "--keyword", "coffee", "--port", "0",
            "--state-dir", folder.appendingPathComponent("state").path,
        ], environment: ["MONGODB_URI": ""])
        let line = try #require(await pipeline.waitForLine(containing: "dashboard at"))
        let port = try #require(ModeHarness.port(in: line))
        var ids: [String] = []
        #expect(await ModeHarness.poll {
            let body = await ModeHarness.get(port: port, "/api/posts?limit=10")?.body ?? ""
            let posts = (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["posts"] as? [[String: Any]]
            ids = (posts ?? []).compactMap { $0["id"] as? String }
            return ids.count >= 2 || !pipeline.isRunning
        })
        #expect(Set(ids) == ["301", "302"], "A and B, not C: \(ids)")
        #expect(pipeline.isRunning, "C is a day (2.4 h at 10×) away")
        let run = await ModeHarness.stop(pipeline)
        #expect(run.status == 0 && pipeline.exitedNormally, "\(run.stderr)")
    }

    /// Languages, honestly (#16): the real `pipeline` on a feed with a German post. The
    /// dashboard API counts it in the volume and as `unscored`, nowhere else (the label
    /// shares are of the three scored posts), and serves the post with label `unscored`;
    /// the keyword page shows the share. `evaluate --score-languages en,de,und` scores it;
    /// a bad list is one line and a non-zero exit from `pipeline` and `consumer`.
    @Test func germanPostIsUnscoredAndCountedInVolume() async throws {
        let feed = folder.appendingPathComponent("german.jsonl")
        try ModeHarness.writeFeed([
            .init(id: "501", text: "coffee is wonderful, I love it", createdAt: "2026-01-01T00:00:00.000Z"),
            .init(id: "502", text: "Der coffee war ausgezeichnet!", createdAt: "2026-01-01T00:00:01.000Z", lang: "de"),
            .init(id: "503", text: "coffee ☕", createdAt: "2026-01-01T00:00:02.000Z", lang: "und"),
            .init(id: "504", text: "coffee is awful", createdAt: "2026-01-01T00:00:03.000Z"),
        ], to: feed)
        let pipeline = try ChildProcess(TestEnvironment.executable("pipeline"), [
            "--replay", feed.path, "--keyword", "coffee", "--engine", "lexicon", "--port", "0",
            "--state-dir", folder.appendingPathComponent("state").path,
        ], environment: ["MONGODB_URI": ""])
        let line = try #require(await pipeline.waitForLine(containing: "dashboard at"))
        let port = try #require(ModeHarness.port(in: line))
        var totals: [String: Any] = [:]
        #expect(await ModeHarness.poll {
            let body = await ModeHarness.get(port: port, "/api/keywords/coffee/summary?range=7d")?.body ?? ""
            let summary = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
            totals = summary?["totals"] as? [String: Any] ?? [:]
            return totals["count"] as? Int == 4 || !pipeline.isRunning
        })
        #expect(totals["count"] as? Int == 4 && totals["unscored"] as? Int == 1, "\(totals)")
        let scored = ["positive", "neutral", "negative"].compactMap { totals[$0] as? Int }.reduce(0, +)
        #expect(scored == 3, "the English and the undetermined posts are scored: \(totals)")
        #expect(totals["unscoredShare"] as? Double == 0.25, "\(totals)")
        let shares = ["positiveShare", "neutralShare", "negativeShare"].compactMap { totals[$0] as? Double }
        #expect(abs(shares.reduce(0, +) - 1) < 1e-9, "label shares are of scored posts: \(totals)")
        let body = await ModeHarness.get(port: port, "/api/posts?limit=10")?.body ?? ""
        let posts = (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["posts"] as? [[String: Any]]
        let labels = Dictionary(uniqueKeysWithValues: (posts ?? []).compactMap { post in
            (post["id"] as? String).map { ($0, post["label"] as? String ?? "") }
        })
        #expect(labels["502"] == "unscored" && labels.filter { $0.value == "unscored" }.count == 1, "\(labels)")
        let page = await ModeHarness.get(port: port, "/keywords/coffee?range=7d")?.body ?? ""
        #expect(page.contains("1 unscored") && page.contains("25%"), "the keyword page shows the unscored share")
        let run = await ModeHarness.stop(pipeline)
        #expect(run.status == 0, "\(run.stderr)")

        for (languages, unscored) in [(nil, 1), ("en,de,und", 0)] as [(String?, Int)] {
            let report = folder.appendingPathComponent("german-\(languages ?? "default").json")
            let evaluate = try await ChildProcess.run(TestEnvironment.executable("pipeline"), [
                "evaluate", "--replay", feed.path, "--keyword", "coffee", "--engine", "lexicon", "--log-level", "warning",
                "--state-dir", folder.appendingPathComponent("state").path, "--report", report.path,
            ] + (languages.map { ["--score-languages", $0] } ?? []), environment: ["MONGODB_URI": ""])
            try #require(evaluate.status == 0, "\(evaluate.stderr)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
            let coffee = (summary["keywords"] as? [[String: Any]])?.first { $0["keyword"] as? String == "coffee" }
            #expect(coffee?["count"] as? Int == 4 && coffee?["unscored"] as? Int == unscored,
                    "--score-languages \(languages ?? "(default)"): \(summary)")
        }

        for executable in ["pipeline", "consumer"] {
            let bad = try await ChildProcess.run(TestEnvironment.executable(executable),
                                                 (executable == "pipeline" ? ["run", "--replay", feed.path] : [])
                                                    + ["--score-languages", "en,4x"],
                                                 environment: ["MONGODB_URI": ""])
            #expect(bad.status != 0, "\(executable) accepted a bad list")
            let errors = bad.stderr.split(separator: "\n").filter { $0.lowercased().contains("error") }
            #expect(errors.count == 1 && errors[0].contains("--score-languages"), "\(executable): \(bad.stderr)")
        }
    }

    /// `pipeline evaluate --labels FILE --report x.md`: gold labels from a TSV file give the
    /// same accuracy as the same labels inside the feed; the Markdown report is written.
    @Test func evaluateWithALabelsFileWritesAMarkdownReport() async throws {
        let feed = try await ModeHarness.makeFeed(split: "test", in: folder)
        let lines = try String(contentsOf: feed, encoding: .utf8).split(separator: "\n").prefix(200)
        let labelled = folder.appendingPathComponent("labelled.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: labelled)
        var stripped: [String] = [], labels: [String] = []
        for line in lines {
            var object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            var data = try #require(object["data"] as? [String: Any])
            labels.append("\(data["id"] as? String ?? "")\t\(data["gold_label"] as? String ?? "")")
            data["gold_label"] = nil
            data["gold_rating"] = nil
            object["data"] = data
            stripped.append(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        }
        let unlabelled = folder.appendingPathComponent("unlabelled.jsonl")
        try Data((stripped.joined(separator: "\n") + "\n").utf8).write(to: unlabelled)
        let labelsFile = folder.appendingPathComponent("labels.tsv")
        try Data((labels.joined(separator: "\n") + "\n").utf8).write(to: labelsFile)

        func evaluate(_ feed: URL, _ extra: [String]) async throws -> ChildProcess.Output {
            try await ChildProcess.run(TestEnvironment.executable("pipeline"), [
                "evaluate", "--replay", feed.path, "--engine", "lexicon", "--speed", "max", "--workers", "1", "--batch", "50",
                "--log-level", "warning", "--state-dir", folder.appendingPathComponent("state").path,
                "--spill", folder.appendingPathComponent("spill.bin").path,
            ] + Self.keywordArguments + extra, environment: ["MONGODB_URI": ""])
        }
        let markdown = folder.appendingPathComponent("report.md")
        let fromFile = try await evaluate(unlabelled, ["--labels", labelsFile.path, "--report", markdown.path])
        try #require(fromFile.status == 0, "\(fromFile.stderr)")
        let written = try String(contentsOf: markdown, encoding: .utf8)
        #expect(written.hasPrefix("# Pipeline evaluation"))
        #expect(written.contains("| labelled posts | 200 |"), "\(written)")
        let accuracyLine = try #require(written.split(separator: "\n").first { $0.hasPrefix("| accuracy |") })

        let inFeed = try await evaluate(labelled, [])
        try #require(inFeed.status == 0, "\(inFeed.stderr)")
        #expect(inFeed.stdout.contains(accuracyLine), "same accuracy from the feed's own labels")
        let none = try await evaluate(unlabelled, [])
        #expect(none.status == 0 && !none.stdout.contains("| accuracy |"), "without labels, no accuracy")
    }

    /// `pipeline evaluate` with the rule-language, pacing, model and retention flags it
    /// shares with `pipeline run`, in evaluate mode: `--keyword` with `--lang`, a raw
    /// `--rule` with its `--tag`, `--max-gap` shortening hour-long gaps of a paced replay
    /// (`--speed 1` would take nine hours without it), `--engine bayes` from an explicit
    /// `--model`, `--retention`; then `--rules-namespace` deciding how archived
    /// `matching_rules` tags become keywords when the run gives no rules of its own.
    @Test(.timeLimit(.minutes(3))) func evaluateTakesTheReplayFlagsItSharesWithRun() async throws {
        let feedURL = folder.appendingPathComponent("evaluate-langs.jsonl")
        var posts = ModeHarness.languagePosts(prefix: 7)
        for index in posts.indices {
            posts[index].createdAt = String(format: "2026-01-01T%02d:00:00.000Z", index)
        }
        try ModeHarness.writeFeed(posts, to: feedURL)
        let model = TestEnvironment.projectRoot.appendingPathComponent("lexicons/sentiment-default.model")
        let report = folder.appendingPathComponent("evaluate.json")
        let common = ["evaluate", "--replay", feedURL.path, "--log-level", "warning",
                      "--state-dir", folder.appendingPathComponent("state").path]
        let run = try await ChildProcess.run(TestEnvironment.executable("pipeline"), common + [
            "--keyword", "coffee", "--lang", "en", "--rule", "tea OR chai", "--tag", "drinks",
            "--speed", "1", "--max-gap", "20ms", "--engine", "bayes", "--model", model.path, "--retention", "30d",
            "--report", report.path,
        ], environment: ["MONGODB_URI": ""])
        try #require(run.status == 0, "\(run.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        #expect(summary["engine"] as? String == "bayes", "\(summary)")
        #expect(Self.counts(summary) == ["coffee": 4, "drinks": 3], "english coffee posts and every tea post")

        // No rules of the run's own: the archived tags decide, read with the namespace.
        let tagged = folder.appendingPathComponent("evaluate-tagged.jsonl")
        let lines = (0..<4).map { index in
            #"{"data":{"id":"80\#(index)","text":"coffee \#(index)","created_at":"2026-01-01T00:00:0\#(index).000Z"},"# +
                #""matching_rules":[{"id":"1","tag":"team-b:coffee"}]}"#
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: tagged)
        for (namespace, keyword) in [("team-b", "coffee"), ("sentiment-listener", "team-b:coffee")] {
            let taggedReport = folder.appendingPathComponent("tagged-\(namespace).json")
            let tagRun = try await ChildProcess.run(TestEnvironment.executable("pipeline"), [
                "evaluate", "--replay", tagged.path, "--rules-namespace", namespace, "--engine", "lexicon",
                "--log-level", "warning", "--state-dir", folder.appendingPathComponent("state").path,
                "--report", taggedReport.path,
            ], environment: ["MONGODB_URI": ""])
            try #require(tagRun.status == 0, "\(tagRun.stderr)")
            let tagSummary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: taggedReport)) as? [String: Any])
            #expect(Self.counts(tagSummary) == [keyword: 4], "namespace \(namespace)")
        }

        // The flags are evaluate's own: a bad value is its one-line error.
        for (flag, value) in [("--retention", "soon"), ("--max-gap", "never"), ("--model", "/nonexistent.model")] {
            let bad = try await ChildProcess.run(TestEnvironment.executable("pipeline"),
                                                 common + ["--keyword", "coffee", "--engine", "bayes", flag, value],
                                                 environment: ["MONGODB_URI": ""])
            #expect(bad.status != 0, "\(flag) \(value) was accepted")
            let errors = bad.stderr.split(separator: "\n").filter { $0.lowercased().contains("error") }
            #expect(errors.count == 1 && errors[0].contains(flag == "--model" ? "model" : flag),
                    "\(flag): \(bad.stderr)")
        }
    }

    /// Per-keyword counts of an evaluation report (`--report FILE.json`) or a `--summary` file.
    static func counts(_ summary: [String: Any]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for entry in summary["keywords"] as? [[String: Any]] ?? [] {
            counts[entry["keyword"] as? String ?? ""] = entry["count"] as? Int
        }
        return counts
    }

    /// A live `pipeline` with the source and processing flags the README lists: token
    /// file, `--lang`, a raw `--rule` with its `--tag`, a rules namespace, stall and
    /// backfill settings, a gzip archive, one worker with small batches, the bayes engine
    /// from an explicit `--model`; `--stop-after` ends it and `--summary` counts per tag.
    @Test func liveStreamWithSourceAndProcessingFlags() async throws {
        let feedURL = folder.appendingPathComponent("langs.jsonl")
        try ModeHarness.writeFeed(ModeHarness.languagePosts(prefix: 4), to: feedURL)
        let simulator = try await StreamSimProcess(feed: feedURL, arguments: [])
        defer { simulator.stop() }
        let tokenFile = folder.appendingPathComponent("token")
        try Data(simulator.token.utf8).write(to: tokenFile)
        let archive = folder.appendingPathComponent("archive")
        let summary = folder.appendingPathComponent("summary.json")
        let model = TestEnvironment.projectRoot.appendingPathComponent("lexicons/sentiment-default.model")
        let run = try await ChildProcess.run(TestEnvironment.executable("pipeline"), [
            "run", "--api-base", simulator.base, "--bearer-token-file", tokenFile.path,
            "--keyword", "coffee", "--lang", "en", "--rule", "tea OR chai", "--tag", "drinks", "--rules-namespace", "team-b",
            "--stall-timeout", "5s", "--backfill-minutes", "1", "--archive", archive.path, "--archive-gzip",
            "--workers", "1", "--batch", "2", "--engine", "bayes", "--model", model.path, "--log-level", "warning",
            "--host", "127.0.0.1", "--port", "0", "--stop-after", "7", "--summary", summary.path,
            "--state-dir", folder.appendingPathComponent("state").path, "--spill", folder.appendingPathComponent("spill.bin").path,
        ], environment: ["X_BEARER_TOKEN": "", "MONGODB_URI": ""])
        try #require(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("dashboard at http://127.0.0.1:"))
        let totals = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: summary)) as? [String: Any])
        let counts = Self.counts(totals)
        #expect(counts == ["coffee": 4, "drinks": 3], "english coffee posts and every tea post: \(counts)")
        let files = try FileManager.default.contentsOfDirectory(at: archive, includingPropertiesForKeys: nil)
        #expect(!files.isEmpty && files.allSatisfy { $0.lastPathComponent.hasSuffix(".gz") }, "\(files)")
        let rules = try await ListenerModesTests.rules(simulator)
        #expect(rules["coffee lang:en"] == "team-b:coffee" || rules.values.contains("team-b:coffee"), "\(rules)")
        #expect(rules.values.contains("team-b:drinks"), "\(rules)")
        #expect(!run.stderr.contains(simulator.token))
    }

    /// `--retention 7d` on the embedded store keeps the last 7 days before the newest
    /// post: of two posts ten days apart only the newer stays; `--retention off` keeps both.
    @Test(arguments: ["7d", "off"])
    func retentionKeepsTheLastStretchOfTheEmbeddedStore(retention: String) async throws {
        let feed = folder.appendingPathComponent("old-and-new.jsonl")
        try ModeHarness.writeFeed([
            .init(id: "601", text: "coffee long ago", createdAt: "2026-01-01T00:00:00.000Z"),
            .init(id: "602", text: "coffee ten days later", createdAt: "2026-01-11T00:00:00.000Z"),
        ], to: feed)
        let pipeline = try ChildProcess(TestEnvironment.executable("pipeline"), [
            "--replay", feed.path, "--keyword", "coffee", "--retention", retention, "--engine", "lexicon", "--port", "0",
            "--state-dir", folder.appendingPathComponent("state").path,
        ], environment: ["MONGODB_URI": ""])
        let line = try #require(await pipeline.waitForLine(containing: "dashboard at"))
        let port = try #require(ModeHarness.port(in: line))
        let expected: Set = retention == "off" ? ["601", "602"] : ["602"]
        var ids: Set<String> = []
        let settled = await ModeHarness.poll(timeout: .seconds(60)) {
            let body = await ModeHarness.get(port: port, "/api/posts?limit=10")?.body ?? ""
            let posts = (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["posts"] as? [[String: Any]]
            ids = Set((posts ?? []).compactMap { $0["id"] as? String })
            return ids == expected || !pipeline.isRunning
        }
        #expect(settled && ids == expected, "\(retention): \(ids)")
        let run = await ModeHarness.stop(pipeline)
        #expect(run.status == 0, "\(run.stderr)")
    }
}
