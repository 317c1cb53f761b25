import Foundation
import Testing

/// The `stream-sim` executable as scripts and other tests use it.
@Suite(.timeLimit(.minutes(3))) struct StreamSimCLITests {
    /// The built `stream-sim` next to the test bundle (`swift build --build-tests` builds it).
    private static func executable() throws -> URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if directory.pathExtension == "xctest" || directory.lastPathComponent == "MacOS" {
            directory = directory.deletingLastPathComponent()
        }
        let candidates = [directory, Bundle.main.bundleURL.deletingLastPathComponent()]
            .map { $0.appendingPathComponent("stream-sim") }
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                            "stream-sim not built next to the tests: run swift build --build-tests")
    }

    private static func launch(_ arguments: [String], stdout: URL, stderr: URL) throws -> Process {
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        return process
    }

    private static func waitForExit(_ process: Process) async {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
    }

    @Test func printsTheURLFirstAndServes() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("streamsim-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let archive = directory.appendingPathComponent("feed.jsonl")
        try Data(#"{"id":"1","text":"coffee time"}\#nnot json\#n"#.utf8).write(to: archive)
        let out = directory.appendingPathComponent("out")
        let err = directory.appendingPathComponent("err")
        let process = try Self.launch(["--archive", archive.path, "--port", "0", "--rule", "coffee", "--speed", "max",
                                       "--bearer-token", "t", "--log-level", "warning"], stdout: out, stderr: err)
        defer { process.terminate() }
        var firstLine: String?
        while firstLine == nil, process.isRunning {
            let text = String(decoding: FileManager.default.contents(atPath: out.path) ?? Data(), as: UTF8.self)
            if let newline = text.firstIndex(of: "\n") { firstLine = String(text[..<newline]) } else {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let line = try #require(firstLine)
        #expect(line.hasPrefix("listening on http://127.0.0.1:"))
        let base = String(line.dropFirst("listening on ".count))
        let rules = try await Curl.run(["-H", "Authorization: Bearer t", "\(base)/2/tweets/search/stream/rules"])
        #expect((rules.json?["meta"] as? [String: Any])?["result_count"] as? Int == 1)
        #expect(try await Curl.run(["-H", "Authorization: Bearer wrong", "\(base)/2/tweets/search/stream"]).status == 401)
        let stats = try #require(try await Curl.run(["\(base)/sim/stats"]).json)
        #expect(stats["feed_posts"] as? Int == 1)
        #expect(stats["feed_malformed_lines"] as? Int == 1)
        let log = String(decoding: FileManager.default.contents(atPath: err.path) ?? Data(), as: UTF8.self)
        #expect(log.contains("skipped 1 malformed lines"))
    }

    @Test(arguments: [
        ["--archive", "/nonexistent/feed.jsonl"],
        ["--archive", "/dev/null", "--fault", "explode"],
        ["--archive", "/dev/null", "--speed", "warp"],
        ["--archive", "/dev/null", "--gzip", "maybe"],
    ])
    func userErrorsGiveOneLineAndExit2(arguments: [String]) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("streamsim-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let err = directory.appendingPathComponent("err")
        let process = try Self.launch(arguments, stdout: directory.appendingPathComponent("out"), stderr: err)
        await Self.waitForExit(process)
        #expect(process.terminationStatus == 2)
        let text = String(decoding: FileManager.default.contents(atPath: err.path) ?? Data(), as: UTF8.self)
        #expect(text.hasPrefix("stream-sim: "))
        #expect(text.split(separator: "\n").count == 1)
    }
}
