import Foundation
import PipelineTesting
import Testing

/// The built `listener` follows the built `stream-sim` over loopback into the MongoDB
/// queue, one fault at a time: every post of the archive must land in `inbox` exactly
/// once. Back-off waits are scaled down (`--backoff-scale`), the schedule is not.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ListenerMongoEndToEndTests {
    static let postCount = 60

    /// Runs the listener against `simulatorArguments` until the inbox holds every post,
    /// stops it with SIGTERM, and checks the inbox and the listener's own totals.
    func streamIntoInbox(simulatorArguments: [String], listenerArguments: [String] = []) async throws {
        let uri = try TestEnvironment.requireMongoURI()
        let folder = try TestFeed.folder()
        let feed = try TestFeed.write(count: Self.postCount, to: folder)
        let simulator = try await StreamSimProcess(feed: feed.url, arguments: simulatorArguments)
        defer { simulator.stop() }
        let inbox = try InboxProbe(uri: uri)
        let listener = try ChildProcess(TestEnvironment.executable("listener"), [
            "--keyword", "coffee", "--api-base", simulator.base, "--mongo", uri, "--database", inbox.databaseName,
            "--stall-timeout", "1s", "--backfill-minutes", "5", "--backoff-scale", "0.01",
            "--spill", folder.appendingPathComponent("spill.jsonl").path,
        ] + listenerArguments, environment: ["X_BEARER_TOKEN": simulator.token])
        let reached = try await inbox.waitForCount(Self.postCount, while: { listener.isRunning })
        listener.terminate()
        let run = await listener.waitForExit()
        let label = simulatorArguments.joined(separator: " ")
        #expect(reached == Self.postCount, "\(label): \(run.stderr.suffix(800))")
        #expect(run.status == 0, "\(label): SIGTERM is a clean stop: \(run.stderr.suffix(500))")
        let ids = try await inbox.ids()
        #expect(ids.count == Self.postCount, "\(label)")
        #expect(Set(ids) == feed.ids, "\(label)")
        // Nothing is left behind on disk, and the token appears nowhere.
        let spill = (try? Data(contentsOf: folder.appendingPathComponent("spill.jsonl"))) ?? Data()
        #expect(spill.isEmpty, "\(label): spill file drained")
        #expect(!run.stderr.contains(simulator.token) && !run.stdout.contains(simulator.token))
        #expect(run.stdout.isEmpty, "with --mongo nothing goes to stdout")
        await inbox.drop()
    }

    @Test(arguments: [
        ["--fault", "disconnect@1:after=7"],                          // cut mid-message after N posts
        ["--fault", "stall@1:after=5,seconds=30"],                    // silence: stall detector reconnects
        ["--fault", "rate-limit@1:reset=60"],                         // 429 with x-rate-limit-reset
        ["--fault", "too-many-connections@1:reset=60"],               // 429 TooManyConnections
        ["--fault", "503@1-2"],                                       // HTTP back-off, twice
        ["--fault", "operational-disconnect@1:after=10"],
        ["--gzip", "always", "--split-chunks", "7", "--max-chunk", "9"],
        ["--gzip", "never", "--split-chunks", "11", "--max-chunk", "5"],
        ["--gzip", "always", "--fault", "disconnect@1:after=3", "--fault", "503@2", "--fault", "stall@3:after=4,seconds=30",
         "--fault", "operational-disconnect@4:after=5"],
    ])
    func everyPostReachesTheInboxExactlyOnce(simulatorArguments: [String]) async throws {
        try await streamIntoInbox(simulatorArguments: simulatorArguments)
    }

    @Test func gzipIsNegotiatedAndUsed() async throws {
        // `auto` compresses because the listener asks for gzip (Accept-Encoding).
        let uri = try TestEnvironment.requireMongoURI()
        let folder = try TestFeed.folder()
        let feed = try TestFeed.write(count: 10, to: folder)
        let simulator = try await StreamSimProcess(feed: feed.url, arguments: ["--gzip", "auto"])
        defer { simulator.stop() }
        let inbox = try InboxProbe(uri: uri)
        let listener = try ChildProcess(TestEnvironment.executable("listener"), [
            "--keyword", "coffee", "--api-base", simulator.base, "--mongo", uri, "--database", inbox.databaseName,
            "--spill", folder.appendingPathComponent("spill.jsonl").path,
        ], environment: ["X_BEARER_TOKEN": simulator.token])
        #expect(try await inbox.waitForCount(10, while: { listener.isRunning }) == 10)
        listener.terminate()
        _ = await listener.waitForExit()
        let connections = try await simulator.stats()["connections"] as? [[String: Any]] ?? []
        #expect(connections.first?["gzip"] as? Bool == true)
        await inbox.drop()
    }

    @Test func badTokenExitsWithOneLineAndAtMostOneStreamRequest() async throws {
        let folder = try TestFeed.folder()
        let feed = try TestFeed.write(count: 5, to: folder)
        let simulator = try await StreamSimProcess(feed: feed.url, arguments: [])
        defer { simulator.stop() }
        let run = try await ChildProcess.run(TestEnvironment.executable("listener"), [
            "--keyword", "coffee", "--api-base", simulator.base, "--mongo", try TestEnvironment.requireMongoURI(),
            "--spill", folder.appendingPathComponent("spill.jsonl").path,
        ], environment: ["X_BEARER_TOKEN": "not-the-token-\(UUID().uuidString)"])
        #expect(run.status != 0)
        #expect(run.stderr.split(separator: "\n").count == 1, "one line: \(run.stderr)")
        #expect(run.stderr.contains("401"))
        #expect(!run.stderr.contains("not-the-token"))
        #expect(try await simulator.streamConnections() <= 1)
    }

    @Test func streamRefusedWith401AfterRulesSyncIsOneRequestAndOneLine() async throws {
        // The rules endpoints accept the token but the stream says 401: no retry loop.
        let folder = try TestFeed.folder()
        let feed = try TestFeed.write(count: 5, to: folder)
        let simulator = try await StreamSimProcess(feed: feed.url, arguments: ["--fault", "401@*"])
        defer { simulator.stop() }
        let run = try await ChildProcess.run(TestEnvironment.executable("listener"), [
            "--keyword", "coffee", "--api-base", simulator.base, "--mongo", try TestEnvironment.requireMongoURI(),
            "--spill", folder.appendingPathComponent("spill.jsonl").path,
        ], environment: ["X_BEARER_TOKEN": simulator.token])
        #expect(run.status != 0)
        #expect(run.stderr.split(separator: "\n").filter { $0.contains("error") }.count == 1, "\(run.stderr)")
        #expect(try await simulator.streamConnections() == 1)
    }
}
