import Foundation
import PipelineTesting
import Testing
@testable import Listener

/// The built `listener` executable against the scripted loopback server.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ListenerExecutableTests {
    static func message(_ id: Int) -> String {
        #"{"data":{"id":"\#(id)","text":"post \#(id) ☕","author_id":"7","created_at":"2026-01-01T00:00:00.000Z"},"includes":{"users":[{"id":"7","username":"ann"}]},"matching_rules":[{"id":"1001","tag":"sentiment-listener:coffee"}]}"#
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Starts the listener; `until` sees stdout as it grows and returns true to stop the
    /// run with SIGTERM. A watchdog ends a run that hangs, so a broken build fails the
    /// test instead of blocking the suite.
    func runListener(arguments: [String], token: String, until: ((String) -> Bool)? = nil) throws -> Run {
        let process = Process()
        process.executableURL = TestEnvironment.executable("listener")
        process.arguments = arguments
        process.environment = ["X_BEARER_TOKEN": token, "PATH": "/usr/bin:/bin"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 90, execute: watchdog)
        var stdout = Data()
        while true {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            stdout.append(chunk)
            if let until, until(String(decoding: stdout, as: UTF8.self)) {
                kill(pid, SIGTERM)
                stdout.append(out.fileHandleForReading.readDataToEndOfFile())
                break
            }
        }
        process.waitUntilExit()
        watchdog.cancel()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func ids(in stdout: String) -> [String] {
        stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
        }
    }

    @Test func badCredentialsExitAtOnceWithOneLineAndNoStreamRequest() async throws {
        let server = try TestStreamServer(scenario: [:])
        let spill = try temporaryDirectory().appendingPathComponent("spill.jsonl").path
        let run = try runListener(arguments: ["--keyword", "coffee", "--api-base", server.base, "--spill", spill],
                                  token: "wrong-secret-token")
        #expect(run.status != 0)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one clear line: \(run.stderr)")
        #expect(run.stderr.contains("401"))
        #expect(!run.stderr.contains("wrong-secret-token"))
        #expect(try await server.requests(path: "/2/tweets/search/stream").isEmpty, "rules sync comes first and already fails")
        #expect(run.stdout.isEmpty)
    }

    @Test func userErrorsAreOneLine() throws {
        for arguments in [["--keyword", " "], ["--rule", "a b"], ["--replay", "/nonexistent/file.jsonl"], ["--keyword", "x", "--mongo", "not-a-uri"]] {
            let run = try runListener(arguments: arguments, token: "t")
            #expect(run.status != 0, "\(arguments)")
            #expect(run.stderr.split(separator: "\n").count == 1, "\(arguments): \(run.stderr)")
        }
    }

    @Test func faultsDoNotLoseOrDuplicatePosts() async throws {
        let operationalDisconnect = #"{"errors":[{"title":"operational-disconnect","disconnect_type":"UpstreamOperationalDisconnect","detail":"upstream"}]}"#
        let first = (1...3).map(Self.message).joined(separator: "\r\n") + "\r\n" + String(Self.message(4).prefix(40))
        let server = try TestStreamServer(scenario: ["connections": [
            ["chunks": [first], "split_bytes": 7, "gzip": true, "end": "abort"],           // cut mid-message
            ["status": 500],                                                               // server error: 5 s back-off
            ["chunks": (3...6).map { Self.message($0) + "\r\n\r\n" } + [operationalDisconnect + "\r\n"]], // overlap + op. disconnect
            ["chunks": (7...8).map { Self.message($0) + "\r\n" }, "end": "hold"],
        ]])
        let folder = try temporaryDirectory()
        let run = try runListener(
            arguments: ["--keyword", "coffee", "--api-base", server.base, "--archive", folder.appendingPathComponent("archive").path,
                        "--spill", folder.appendingPathComponent("spill.jsonl").path, "--backfill-minutes", "2",
                        "--backoff-scale", "0.01"],
            token: "test-token",
            until: { Set(Self.ids(in: $0)).count >= 8 })
        #expect(run.status == 0, "SIGTERM is a clean stop: \(run.stderr)")
        let ids = Self.ids(in: run.stdout)
        let numbers: [Int] = ids.compactMap { Int($0) }.sorted()
        #expect(numbers == Array(1...8), "every post exactly once")
        let first3 = try #require(run.stdout.split(separator: "\n").first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first3.utf8)) as? [String: Any])
        #expect(object["keywords"] as? [String] == ["coffee"])
        #expect(object["authorUsername"] as? String == "ann")
        #expect(!run.stderr.contains("test-token"))

        let streams = try await server.requests(path: "/2/tweets/search/stream")
        #expect(streams.count == 4)
        let backfill = streams.map { (($0["query"] as? [String: [String]])?["backfill_minutes"])?.first }
        #expect(backfill == [nil, "2", "2", "2"], "backfill only on reconnects")

        // The archive holds every complete message received, raw.
        let files = try FileManager.default.contentsOfDirectory(at: folder.appendingPathComponent("archive"), includingPropertiesForKeys: nil)
        let archived = try files.flatMap { try String(contentsOf: $0, encoding: .utf8).split(separator: "\n") }
        #expect(archived.count == 10, "3 + 4 posts, the operational disconnect, 2 more")
        #expect(archived.contains { $0.hasSuffix("\t" + Self.message(5)) })
    }

    @Test func replayOfTheArchiveYieldsTheSamePosts() throws {
        let folder = try temporaryDirectory()
        let file = folder.appendingPathComponent("a.jsonl")
        let lines = (1...5).map { "2026-01-01T00:00:0\($0).000Z\t" + Self.message($0) } + ["garbage"]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        let run = try runListener(arguments: ["--replay", file.path, "--speed", "max",
                                              "--spill", folder.appendingPathComponent("spill.jsonl").path], token: "")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Self.ids(in: run.stdout) == (1...5).map(String.init))
        #expect(run.stderr.contains("1 malformed line"))
    }
}
