import Wiring
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PipelineTesting
import Testing

/// Servers bind their port before any other work: a busy port is one line naming it and
/// exit 2, with nothing announced and nothing read; `--port 0` announces the real port.
@Suite(.serialized, .timeLimit(.minutes(5))) struct FailFastTests {
    @Test func busyPortStopsPipelineBeforeAnythingIsReadOrAnnounced() async throws {
        let busy = try LoopbackSocket(listening: true)
        defer { busy.close() }
        let folder = try TestFeed.folder()
        let feed = try TestFeed.write(count: 50, to: folder).url
        let run = try await ChildProcess.run(TestEnvironment.executable("pipeline"), [
            "--replay", feed.path, "--keyword", "coffee", "--port", String(busy.port), "--exit-when-done",
            "--state-dir", folder.appendingPathComponent("state").path,
            "--summary", folder.appendingPathComponent("summary.json").path,
        ])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr == "pipeline: error: cannot listen on 127.0.0.1:\(busy.port): the port is already in use\n")
        #expect(run.stdout.isEmpty, "nothing announced: \(run.stdout)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("summary.json").path))
    }

    @Test func busyPortStopsDashboardAndListenerMetrics() async throws {
        let busy = try LoopbackSocket(listening: true)
        defer { busy.close() }
        let dashboard = try await ChildProcess.run(TestEnvironment.executable("dashboard"), [
            "--in-memory", "--port", String(busy.port),
        ])
        #expect(dashboard.status == 2)
        #expect(dashboard.stderr == "dashboard: error: cannot listen on 127.0.0.1:\(busy.port): the port is already in use\n")
        #expect(dashboard.stdout.isEmpty)

        let folder = try TestFeed.folder()
        let feed = try TestFeed.write(count: 50, to: folder).url
        let listener = try await ChildProcess.run(TestEnvironment.executable("listener"), [
            "--replay", feed.path, "--keyword", "coffee", "--metrics-port", String(busy.port),
            "--state-dir", folder.appendingPathComponent("state").path,
        ])
        #expect(listener.status == 2, "\(listener.stderr)")
        #expect(listener.stderr.hasSuffix("listener: error: cannot listen on 127.0.0.1:\(busy.port): the port is already in use\n"),
                "\(listener.stderr)")
        #expect(listener.stdout.isEmpty, "no post was read (they would be printed): \(listener.stdout.prefix(300))")
    }

    @Test func portZeroAnnouncesTheBoundPort() async throws {
        let folder = try TestFeed.folder()
        let feed = try TestFeed.write(count: 50, to: folder).url
        let pipeline = try ChildProcess(TestEnvironment.executable("pipeline"), [
            "--replay", feed.path, "--keyword", "coffee", "--port", "0", "--engine", "lexicon",
            "--state-dir", folder.appendingPathComponent("state").path,
        ])
        let line = try #require(await pipeline.waitForLine(containing: "dashboard at"))
        let address = try #require(line.range(of: "http://127.0.0.1:"), "\(line)")
        let port = try #require(Int(line[address.upperBound...].prefix { $0.isNumber }), "\(line)")
        #expect(port > 0, "\(line)")
        let (_, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/healthz")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(await pipeline.waitUntilCatching(SIGTERM))
        pipeline.terminate()
        let run = await pipeline.waitForExit()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("state").path),
                "no state folder or spill file when nothing spilled")
    }
}
