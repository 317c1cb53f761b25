import Foundation
import PipelineTesting
@testable import Listener

/// The scripted stream server of scripts/test-servers/stream_server.py, started on a free
/// loopback port for one test and stopped when the test ends.
final class TestStreamServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let scenarioURL: URL

    var base: String { "http://127.0.0.1:\(port)" }

    init(scenario: [String: Any]) throws {
        scenarioURL = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: scenario).write(to: scenarioURL)
        let python = FileManager.default.isExecutableFile(atPath: TestEnvironment.python.path)
            ? TestEnvironment.python : URL(fileURLWithPath: "/usr/bin/python3")
        process.executableURL = python
        process.arguments = [TestEnvironment.projectRoot.appendingPathComponent("scripts/test-servers/stream_server.py").path,
                             scenarioURL.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(10) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            kill(process.processIdentifier, SIGKILL)
            throw ServerFailed(output: text)
        }
        self.port = port
    }

    /// The requests the server saw (fetched with the listener's own HTTP client).
    func requests() async throws -> [[String: Any]] {
        let response = try await HTTPClient(token: BearerToken("unused")!).send(url: base + "/_requests")
        return try JSONSerialization.jsonObject(with: response.body) as? [[String: Any]] ?? []
    }

    func requests(path: String) async throws -> [[String: Any]] {
        try await requests().filter { $0["path"] as? String == path }
    }

    deinit {
        // SIGKILL: the test runner may leave SIGTERM blocked in children.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: scenarioURL)
    }

    struct ServerFailed: Error, CustomStringConvertible {
        var output: String
        var description: String { "the test stream server did not start: \(output)" }
    }
}
