import Foundation
import PipelineTesting
import Testing

/// The MongoDB server goes away while the listener streams, and comes back: posts spill
/// to disk meanwhile and are drained afterwards — every post of the archive ends in
/// `inbox` exactly once and the spill file is empty.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ListenerMongoOutageTests {
    @Test func serverKilledAndRestartedMidStreamLosesNothing() async throws {
        let postCount = 400
        let folder = try TestFeed.folder()
        let feed = try TestFeed.write(count: postCount, to: folder)
        let server = try await PrivateMongoServer()
        // Paced, so posts keep arriving through the outage.
        let simulator = try await StreamSimProcess(feed: feed.url, arguments: ["--rate", "50"])
        defer { simulator.stop() }
        let inbox = try InboxProbe(uri: server.uri)
        let spill = folder.appendingPathComponent("spill.jsonl")
        let listener = try ChildProcess(TestEnvironment.executable("listener"), [
            "--keyword", "coffee", "--api-base", simulator.base, "--mongo", server.uri, "--database", inbox.databaseName,
            "--spill", spill.path,
        ], environment: ["X_BEARER_TOKEN": simulator.token])

        let before = try await inbox.waitForCount(40, while: { listener.isRunning })
        try #require(before >= 40, "posts reach the inbox before the outage")
        // SIGKILL, as a crash: a graceful stop keeps serving open connections for seconds.
        // The server syncs every commit, so what it acknowledged survives.
        await server.kill()
        // Wait (bounded) until the listener has spilled posts while the server is down.
        let deadline = ContinuousClock.now + .seconds(60)
        while Self.size(of: spill) == 0 && listener.isRunning && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(Self.size(of: spill) > 0, "posts spill to disk while MongoDB is down")
        try await server.start()

        let reached = try await inbox.waitForCount(postCount, while: { listener.isRunning })
        listener.terminate()
        let run = await listener.waitForExit()
        #expect(reached == postCount, "\(run.stderr.suffix(1_000))")
        #expect(run.status == 0, "\(run.stderr.suffix(500))")
        let ids = try await inbox.ids()
        // Every post queued. An enqueue whose commit the dying server made durable without
        // answering is spilled and queued again: such a repeat may stand in the queue (the
        // store counts it once: ConsumerKillTests, ReplayIntoMongoTests), never a loss.
        #expect(ids.count >= postCount)
        #expect(Set(ids) == feed.ids)
        #expect(Self.size(of: spill) == 0, "the spill file is drained")
        let spilled = Self.total("spilled", in: run.stderr)
        let enqueued = Self.total("enqueued", in: run.stderr)
        #expect(spilled > 0, "\(run.stderr.suffix(500))")
        #expect(enqueued >= postCount && enqueued <= ids.count, "every post accepted by the queue, once or more")
        await server.shutdown()
    }

    static func size(of url: URL) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// A figure from the listener's final totals log line (`listener stopped … name=N`).
    static func total(_ name: String, in log: String) -> Int {
        guard let line = log.split(separator: "\n").last(where: { $0.contains("listener stopped") }),
              let field = line.split(separator: " ").first(where: { $0.hasPrefix(name + "=") }) else { return -1 }
        return Int(field.dropFirst(name.count + 1)) ?? -1
    }
}
