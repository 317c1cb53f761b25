import Foundation
import PipelineTesting
import Testing

/// End-to-end tests of the `sentiment` executable.
@Suite("sentiment CLI")
struct CLITests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], input: String = "") throws -> Run {
        let process = Process()
        process.executableURL = TestEnvironment.executable("sentiment")
        process.arguments = arguments
        process.currentDirectoryURL = TestEnvironment.projectRoot
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        // Read stderr on another thread so neither pipe can fill up and block the child.
        let errorData = ErrorCollector(stderr.fileHandleForReading)
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                   stderr: errorData.wait())
    }

    final class ErrorCollector: @unchecked Sendable {
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                data = handle.readDataToEndOfFile()
                done.signal()
            }
        }

        func wait() -> String {
            done.wait()
            return String(decoding: data, as: UTF8.self)
        }
    }

    static func temporaryFile(_ name: String, _ content: String? = nil) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())-\(name)")
        if let content { try Data(content.utf8).write(to: url) }
        return url
    }

    static let trainingData = """
        {"text": "I love this, great day", "label": "positive"}
        {"text": "great movie, love it", "label": "positive"}
        {"text": "awful, I hate this", "label": "negative"}
        {"text": "bad bad day, hate it", "label": "negative"}
        {"text": "the meeting is at noon", "label": "neutral"}
        {"text": "schedule update for the meeting", "label": "neutral"}

        """

    @Test("score streams JSONL in order, reports malformed lines by number and exits 0")
    func score() throws {
        let data = try Self.temporaryFile("train.jsonl", Self.trainingData)
        let model = try Self.temporaryFile("model.bin")
        defer { [data, model].forEach { try? FileManager.default.removeItem(at: $0) } }
        let train = try Self.run(["train", "--data", data.path, "--out", model.path])
        #expect(train.status == 0, "\(train.stderr)")

        let input = """
            {"id": "a", "text": "love it, great"}
            {"id": 2, "text": oops}
            {"text": "hate this awful day"}
            {"id": 4}
            {"id": 5, "text": "the meeting schedule"}

            """
        let run = try Self.run(["score", "--engine", "bayes", "--model", model.path, "-"], input: input)
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        let objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(objects[0]["id"] as? String == "a")
        #expect(objects[0]["label"] as? String == "positive")
        #expect(objects[1]["id"] == nil)
        #expect(objects[1]["label"] as? String == "negative")
        #expect(objects[2]["id"] as? Int == 5)
        #expect(objects[2]["label"] as? String == "neutral")
        let probabilities = try #require(objects[0]["probabilities"] as? [String: Double])
        #expect(Set(probabilities.keys) == ["negative", "neutral", "positive"])
        #expect(run.stderr.contains("line 2:"))
        #expect(run.stderr.contains("line 4:"))

        let plain = try Self.run(["score", "--engine", "bayes", "--model", model.path, "--text-lines"],
                                 input: "great love\n\nhate\n")
        #expect(plain.stdout.split(separator: "\n").count == 3)
    }

    @Test("unreadable input, missing files and corrupt models are one-line errors with a non-zero exit")
    func userErrors() throws {
        let missing = try Self.run(["score", "--engine", "bayes", "/nonexistent/input.jsonl"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("cannot read /nonexistent/input.jsonl"))

        let corrupt = try Self.temporaryFile("corrupt.model", "SENTIMENT-MODEL\n\u{1}\u{0}garbage")
        defer { try? FileManager.default.removeItem(at: corrupt) }
        let bad = try Self.run(["score", "--engine", "bayes", "--model", corrupt.path], input: "{\"text\":\"x\"}\n")
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("corrupt") || bad.stderr.contains("truncated"))
        #expect(bad.stderr.split(separator: "\n").count == 1)

        let flags = try Self.run(["train", "--data", "x.jsonl", "--out", "y", "--alpha", "-1"])
        #expect(flags.status != 0)
    }

    @Test("eval --json reports the metrics of a trained model")
    func eval() throws {
        let data = try Self.temporaryFile("train.jsonl", Self.trainingData)
        let model = try Self.temporaryFile("model.bin")
        defer { [data, model].forEach { try? FileManager.default.removeItem(at: $0) } }
        #expect(try Self.run(["train", "--data", data.path, "--out", model.path, "--alpha", "0.5"]).status == 0)
        let run = try Self.run(["eval", "--data", data.path, "--engine", "bayes", "--model", model.path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect(report["items"] as? Int == 6)
        #expect(report["accuracy"] as? Double == 1)
        #expect((report["confusion"] as? [[Int]]) == [[2, 0, 0], [0, 2, 0], [0, 0, 2]])
    }

    @Test("train --default rebuilds the shipped default model byte for byte")
    func defaultModelIsReproducible() throws {
        let corpora = TestEnvironment.projectRoot.appendingPathComponent(".cache/corpora")
        let rebuilt = try Self.temporaryFile("default.model")
        defer { try? FileManager.default.removeItem(at: rebuilt) }
        let run = try Self.run(["train", "--default", "--corpora", corpora.path, "--out", rebuilt.path])
        #expect(run.status == 0, "\(run.stderr)")
        let shipped = TestEnvironment.projectRoot.appendingPathComponent("lexicons/sentiment-default.model")
        let expected = try Data(contentsOf: shipped)
        #expect(try Data(contentsOf: rebuilt) == expected)
        #expect(expected.count < 2_000_000)
    }
}
