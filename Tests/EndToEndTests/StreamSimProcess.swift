import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PipelineTesting

/// A `stream-sim` child process serving a feed on a free loopback port.
final class StreamSimProcess: Sendable {
    let process: ChildProcess
    /// `http://127.0.0.1:PORT`.
    let base: String
    /// The bearer token it accepts.
    let token: String

    /// Starts `stream-sim serve` on `feed` with `arguments` (faults, gzip, …) at full speed,
    /// heartbeats every half second.
    init(feed: URL, token: String = "sim-\(UUID().uuidString)", arguments: [String]) async throws {
        process = try ChildProcess(TestEnvironment.executable("stream-sim"), [
            "serve", "--archive", feed.path, "--port", "0", "--bearer-token", token,
            "--speed", "max", "--heartbeat", "0.5",
        ] + arguments)
        guard let line = await process.waitForLine(containing: "listening on"),
              let start = line.range(of: "http://") else {
            process.terminate(signal: SIGKILL)
            throw StartFailed(output: await process.waitForExit().stderr)
        }
        base = String(line[start.lowerBound...].prefix { !$0.isWhitespace })
        self.token = token
    }

    /// `/sim/stats`: the connection log.
    func stats() async throws -> [String: Any] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: base + "/sim/stats")!)
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// Stream requests the simulator received, refused ones included.
    func streamConnections() async throws -> Int {
        try await stats()["stream_connections"] as? Int ?? -1
    }

    func stop() { process.terminate(signal: SIGKILL) }

    struct StartFailed: Error, CustomStringConvertible {
        var output: String
        var description: String { "stream-sim did not start: \(output)" }
    }
}

/// A small stream archive: `count` posts matching `coffee`, with non-ASCII text (so chunk
/// splits land inside UTF-8 sequences), ids `firstID + 1 …`.
enum TestFeed {
    static func write(count: Int, firstID: Int = 5_000, to folder: URL) throws -> (url: URL, ids: Set<String>) {
        let url = folder.appendingPathComponent("feed.jsonl")
        var ids = Set<String>()
        let lines = (1...count).map { index in
            let id = String(firstID + index)
            ids.insert(id)
            return #"{"data":{"id":"\#(id)","text":"coffee post \#(index) ☕ café \"quoted\" \u00e9","created_at":"2026-01-01T00:00:00.000Z","lang":"en","author_id":"7"},"includes":{"users":[{"id":"7","username":"ann"}]}}"#
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return (url, ids)
    }

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("listener-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
