import Foundation
import Logging
import ObjectStorage
import PipelineTesting
import Testing

/// The archive in object storage through the real executables: stream-sim → listener
/// with `--archive s3://…` → the bucket → `pipeline evaluate` and `listener` replaying it.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ArchiveObjectStorageEndToEndTests {
    let folder: URL
    let server: S3TestServer
    let store: ObjectStore

    init() async throws {
        folder = try TestFeed.folder()
        server = try S3TestServer.shared()
        store = ObjectStore(bucket: S3TestServer.uniqueBucket("e2e"), configuration: server.configuration(),
                            logger: Logger(label: "test"))
        try await store.createBucket()
    }

    var environment: [String: String] { server.environment.merging(["MONGODB_URI": "", "X_BEARER_TOKEN": ""]) { new, _ in new } }

    @Test func liveArchiveToABucketReplaysEveryPostThroughEvaluate() async throws {
        let feed = try TestFeed.write(count: 40, to: folder)
        let simulator = try await StreamSimProcess(feed: feed.url, arguments: [])
        defer { simulator.stop() }
        let state = folder.appendingPathComponent("state")
        let live = try ChildProcess(TestEnvironment.executable("listener"), [
            "--keyword", "coffee", "--api-base", simulator.base, "--archive", "s3://\(store.bucket)/raw",
            "--archive-gzip", "--archive-rotate-bytes", "3000", "--archive-staging-limit", "100M",
            "--state-dir", state.path,
        ], environment: environment.merging(["X_BEARER_TOKEN": simulator.token]) { _, new in new })
        #expect(await ModeHarness.poll { Set(ModeHarness.printedIDs(live)).count >= 40 || !live.isRunning })
        let run = await ModeHarness.stop(live)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains(server.secretAccessKey))

        // Every file went up (the last one at shutdown), under time-sorted names, and left staging.
        let objects = try await store.list(prefix: "raw/")
        #expect(objects.count >= 2, "\(objects.map(\.key))")
        let pattern = #/raw/\d{4}/\d{2}/\d{2}/stream-\d{8}T\d{6}Z-[A-Za-z0-9-]+-\d{6}\.jsonl\.gz/#
        #expect(objects.allSatisfy { $0.key.wholeMatch(of: pattern) != nil }, "\(objects.map(\.key))")
        let staged = try FileManager.default.contentsOfDirectory(
            atPath: state.appendingPathComponent("archive-staging/\(store.bucket)").path).filter { $0.hasPrefix("stream-") }
        #expect(staged.isEmpty, "\(staged)")

        let report = folder.appendingPathComponent("evaluate.json")
        let evaluate = try await ChildProcess.run(TestEnvironment.executable("pipeline"), [
            "evaluate", "--replay", "s3://\(store.bucket)/raw/", "--keyword", "coffee", "--log-level", "warning",
            "--state-dir", state.path, "--report", report.path,
        ], environment: environment)
        try #require(evaluate.status == 0, "\(evaluate.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        #expect(summary["posts"] as? Int == 40, "\(summary)")

        // --from/--to select objects by the time in their names: today's, and none from tomorrow on.
        let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        let tomorrow = String(ISO8601DateFormatter().string(from: Date().addingTimeInterval(86_400)).prefix(10))
        let replay = try await ChildProcess.run(TestEnvironment.executable("listener"), [
            "--replay", "s3://\(store.bucket)/raw/", "--from", today, "--to", tomorrow, "--state-dir", state.path,
        ], environment: environment)
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(Set(ModeHarness.objects(replay.stdout).compactMap { $0["id"] as? String }) == feed.ids)
        let later = try await ChildProcess.run(TestEnvironment.executable("listener"), [
            "--replay", "s3://\(store.bucket)/raw/", "--from", tomorrow, "--state-dir", state.path,
        ], environment: environment)
        #expect(later.status == 0, "\(later.stderr)")
        #expect(ModeHarness.objects(later.stdout).isEmpty)

        // pipeline run replays the same bucket, within the same bounds, and exits when done.
        let totals = folder.appendingPathComponent("totals.json")
        let pipeline = try await ChildProcess.run(TestEnvironment.executable("pipeline"), [
            "run", "--replay", "s3://\(store.bucket)/raw/", "--from", today, "--to", tomorrow, "--keyword", "coffee",
            "--exit-when-done", "--port", "0", "--engine", "lexicon", "--log-level", "warning",
            "--state-dir", state.path, "--summary", totals.path, "--archive-staging-limit", "1G",
        ], environment: environment)
        #expect(pipeline.status == 0, "\(pipeline.stderr)")
        #expect(try String(contentsOf: totals, encoding: .utf8).contains("coffee"))
    }

    /// Wrong credentials: one line naming the bucket, never the key, exit 2 — for a
    /// replay and for an archive; a malformed size is one line too.
    @Test func wrongCredentialsAreOneLineNamingTheBucketNotTheKey() async throws {
        let wrong = environment.merging(["AWS_SECRET_ACCESS_KEY": "wrong-secret-value"]) { _, new in new }
        let replay = try await ChildProcess.run(TestEnvironment.executable("listener"), [
            "--replay", "s3://\(store.bucket)/raw/", "--state-dir", folder.appendingPathComponent("state").path,
        ], environment: wrong)
        #expect(replay.status == 2)
        let lines = replay.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains(store.bucket), "\(replay.stderr)")
        #expect(!replay.stderr.contains("wrong-secret-value") && !replay.stderr.contains(server.accessKeyID))

        let evaluate = try await ChildProcess.run(TestEnvironment.executable("pipeline"), [
            "evaluate", "--replay", "s3://\(store.bucket)/raw/", "--keyword", "coffee",
            "--state-dir", folder.appendingPathComponent("state").path,
        ], environment: wrong)
        #expect(evaluate.status == 2 && evaluate.stderr.contains(store.bucket), "\(evaluate.stderr)")

        let badSize = try await ChildProcess.run(TestEnvironment.executable("pipeline"), [
            "run", "--keyword", "coffee", "--archive", "s3://\(store.bucket)/raw", "--archive-staging-limit", "lots",
        ], environment: environment)
        #expect(badSize.status == 2 && badSize.stderr.contains("--archive-staging-limit"), "\(badSize.stderr)")
    }
}
