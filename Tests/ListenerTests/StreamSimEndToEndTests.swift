import Foundation
import PipelineTesting
import Testing

/// The built `listener` against the built `stream-sim`, one fault at a time: every post
/// of the archive must come out exactly once (stdout JSONL mode).
@Suite(.serialized) struct StreamSimEndToEndTests {
    static let postCount = 40

    static func writeFeed() throws -> URL {
        let url = try temporaryDirectory().appendingPathComponent("feed.jsonl")
        let lines = (1...postCount).map { index in
            #"{"data":{"id":"\#(5000 + index)","text":"coffee post \#(index) ☕ café","created_at":"2026-01-01T00:00:00Z","lang":"en","author_id":"7"},"includes":{"users":[{"id":"7","username":"ann"}]}}"#
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return url
    }

    /// Starts stream-sim on a free port; returns the process and its base URL.
    static func startSimulator(feed: URL, extra: [String]) throws -> (Process, String) {
        let process = Process()
        process.executableURL = TestEnvironment.executable("stream-sim")
        process.arguments = ["serve", "--archive", feed.path, "--port", "0", "--bearer-token", "sim-token",
                             "--speed", "max", "--heartbeat", "0.5"] + extra
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: "http://") else {
            kill(process.processIdentifier, SIGKILL)
            throw SimulatorFailed()
        }
        let base = text[range.lowerBound...].prefix { !$0.isWhitespace }
        return (process, String(base))
    }

    struct SimulatorFailed: Error {}

    @Test(arguments: [
        ["--fault", "disconnect@1:after=5"],
        ["--fault", "stall@1:after=5,seconds=4"],
        ["--fault", "rate-limit@1:reset=2"],
        ["--fault", "503@1"],
        ["--fault", "operational-disconnect@1:after=10"],
        ["--gzip", "always", "--split-chunks", "7", "--max-chunk", "9"],
        ["--gzip", "never", "--split-chunks", "11"],
    ])
    func everyPostExactlyOnce(simulatorArguments: [String]) throws {
        let feed = try Self.writeFeed()
        let (simulator, base) = try Self.startSimulator(feed: feed, extra: simulatorArguments)
        defer { kill(simulator.processIdentifier, SIGKILL); simulator.waitUntilExit() }
        let folder = try temporaryDirectory()
        let run = try ListenerExecutableTests().runListener(
            arguments: ["--keyword", "coffee", "--api-base", base, "--stall-timeout", "2s", "--backfill-minutes", "5",
                        "--spill", folder.appendingPathComponent("spill.jsonl").path],
            token: "sim-token",
            until: { Set(ListenerExecutableTests.ids(in: $0)).count >= Self.postCount })
        let ids = ListenerExecutableTests.ids(in: run.stdout)
        #expect(ids.count == Self.postCount, "\(simulatorArguments): \(run.stderr.suffix(500))")
        #expect(Set(ids) == Set((1...Self.postCount).map { String(5000 + $0) }))
    }

    @Test func wrongTokenStopsAtOnce() throws {
        let feed = try Self.writeFeed()
        let (simulator, base) = try Self.startSimulator(feed: feed, extra: [])
        defer { kill(simulator.processIdentifier, SIGKILL); simulator.waitUntilExit() }
        let run = try ListenerExecutableTests().runListener(
            arguments: ["--keyword", "coffee", "--api-base", base, "--spill", try temporaryDirectory().appendingPathComponent("s").path],
            token: "not-the-token")
        #expect(run.status != 0)
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        #expect(run.stderr.contains("401"))
    }
}
