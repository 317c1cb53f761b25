import Foundation
import Hummingbird
import Logging
import StreamSim

/// What one `curl` run produced.
struct CurlResult {
    /// curl's exit status (0 ok, 18 partial body, 28 timeout, …).
    var exitCode: Int32
    /// The response body as written by curl.
    var body: [UInt8]
    /// The raw response head(s).
    var headers: String

    /// The status code of the last response head.
    var status: Int? {
        headers.split(separator: "\r\n").last { $0.hasPrefix("HTTP/") }
            .flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) }
    }

    /// A response header's value (case-insensitive name).
    func header(_ name: String) -> String? {
        for line in headers.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == name.lowercased() {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// The body decoded as one JSON object.
    var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] }

    /// Complete `\r\n`-terminated lines of the body (empty strings are heartbeats) and
    /// whatever trails after the last terminator.
    var lines: (complete: [String], rest: String) {
        let text = String(decoding: body, as: UTF8.self)
        var parts = text.components(separatedBy: "\r\n")
        let rest = parts.removeLast()
        return (parts, rest)
    }

    /// The parsed non-empty complete lines.
    var messages: [[String: Any]] {
        lines.complete.filter { !$0.isEmpty }.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// `data.id` of every post message.
    var postIDs: [String] {
        messages.compactMap { ($0["data"] as? [String: Any])?["id"] as? String }
    }
}

/// Runs the `curl` command-line tool (libcurl) against the simulator.
enum Curl {
    static func run(_ arguments: [String]) async throws -> CurlResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("streamsim-curl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bodyPath = directory.appendingPathComponent("body").path
        let headerPath = directory.appendingPathComponent("headers").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "-sS", "-o", bodyPath, "-D", headerPath] + arguments
        process.standardError = FileHandle.nullDevice
        // Wait without blocking a cooperative thread: the server runs in this process.
        let status: Int32 = await withCheckedContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(returning: -1)
            }
        }
        let body = FileManager.default.contents(atPath: bodyPath) ?? Data()
        let headers = FileManager.default.contents(atPath: headerPath) ?? Data()
        return CurlResult(exitCode: status, body: Array(body), headers: String(decoding: headers, as: UTF8.self))
    }
}

/// A simulator running in this process on a free loopback port.
struct RunningSimulator {
    /// `http://127.0.0.1:PORT`.
    var baseURL: String
    /// The simulator's state.
    var feed: StreamFeed
    /// The bearer token requests send.
    var token = "test-token"

    /// `GET /2/tweets/search/stream` with `query`, plus extra curl flags.
    func stream(query: String = "", _ extra: [String] = []) async throws -> CurlResult {
        try await Curl.run(["-N", "-H", "Authorization: Bearer \(token)"] + extra
            + ["\(baseURL)/2/tweets/search/stream" + (query.isEmpty ? "" : "?\(query)")])
    }

    /// `GET` of a path with the bearer token.
    func get(_ path: String, token: String? = nil) async throws -> CurlResult {
        try await Curl.run(["-H", "Authorization: Bearer \(token ?? self.token)", baseURL + path])
    }

    /// `POST /2/tweets/search/stream/rules` with a JSON body.
    func postRules(_ json: String, query: String = "", token: String? = nil) async throws -> CurlResult {
        try await Curl.run(["-X", "POST", "-H", "Authorization: Bearer \(token ?? self.token)",
                            "-H", "Content-Type: application/json", "--data-binary", json,
                            "\(baseURL)/2/tweets/search/stream/rules" + (query.isEmpty ? "" : "?\(query)")])
    }

    /// Runs `body` against a simulator serving posts with these texts (ids "1"…"n").
    static func with(
        texts: [String],
        rules: [String] = ["coffee"],
        configure: (inout StreamSimConfiguration) -> Void = { _ in },
        _ body: (RunningSimulator) async throws -> Void
    ) async throws {
        var configuration = StreamSimConfiguration()
        configuration.heartbeatInterval = .seconds(30)
        configuration.endStreamWhenExhausted = true
        configuration.initialRules = rules.map { RuleBook.Addition(value: $0, tag: $0) }
        configure(&configuration)
        let lines = texts.enumerated().map { index, text in
            #"{"data":{"id":"\#(index + 1)","text":"\#(text)","lang":"en"}}"#
        }
        let archive = FeedArchive.parse(Array(lines.joined(separator: "\n").utf8))
        let feed = StreamFeed(archive: archive, configuration: configuration)
        var logger = Logger(label: "stream-sim-test")
        logger.logLevel = .warning
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = buildApplication(configuration: configuration, feed: feed, logger: logger) { port in
            continuation.yield(port)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            // The stream ends only if the app stopped before binding: that is a failure,
            // never a reason to skip `body`.
            guard let port = await iterator.next() else { throw SimulatorDidNotStart() }
            try await body(RunningSimulator(baseURL: "http://127.0.0.1:\(port)", feed: feed))
            group.cancelAll()
        }
    }
}

/// The in-process simulator ended before it announced its port.
struct SimulatorDidNotStart: Error, CustomStringConvertible {
    var description: String { "the in-process stream-sim stopped before listening" }
}
