import Foundation
import PipelineTesting
import Sentiment
import Testing

/// End-to-end tests of the `sentiment` executable.
@Suite("sentiment CLI", .timeLimit(.minutes(5)))
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

    @Test("train writes a logistic regression; eval --by-source reports each corpus with its calibration error")
    func trainLogregAndEvalBySource() throws {
        let tagged = Self.trainingData.split(separator: "\n").enumerated().map { k, line in
            line.dropLast() + ", \"source\": \"\(k % 2 == 0 ? "even" : "odd")\"}"
        }.joined(separator: "\n") + "\n"
        let data = try Self.temporaryFile("train.jsonl", tagged)
        let model = try Self.temporaryFile("model.bin")
        defer { [data, model].forEach { try? FileManager.default.removeItem(at: $0) } }
        let train = try Self.run(["train", "--data", data.path, "--out", model.path, "--l2", "0.01"])
        #expect(train.status == 0, "\(train.stderr)")
        let run = try Self.run(["eval", "--data", data.path, "--engine", "logreg", "--model", model.path,
                                "--by-source", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect(report["engine"] as? String == "logreg")
        #expect(report["accuracy"] as? Double == 1)
        #expect((report["expectedCalibrationError"] as? Double).map { $0 > 0 && $0 < 1 } == true)
        let sources = try #require(report["bySource"] as? [String: [String: Any]])
        #expect(Set(sources.keys) == ["even", "odd"])
        #expect(sources["even"]?["items"] as? Int == 3)
        let bad = try Self.run(["train", "--data", data.path, "--out", model.path, "--l2", "0"])
        #expect(bad.status != 0)
    }

    @Test("score and eval gate languages like the consumer: a German line is unscored, counted outside the metrics")
    func scoreAndEvalGateLanguages() throws {
        let input = """
            {"id":"en","text":"I love this, wonderful!","lang":"en"}
            {"id":"de","text":"Das Essen war ausgezeichnet!","lang":"de"}
            {"id":"none","text":"What a terrible day"}

            """
        func labels(_ run: Run) -> [String: String] {
            var result: [String: String] = [:]
            for line in run.stdout.split(separator: "\n") {
                let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                if let id = object?["id"] as? String, let label = object?["label"] as? String { result[id] = label }
            }
            return result
        }
        let gated = try Self.run(["score", "--engine", "lexicon"], input: input)
        #expect(gated.status == 0, "\(gated.stderr)")
        #expect(labels(gated) == ["en": "positive", "de": "unscored", "none": "negative"])
        #expect(gated.stdout.contains("\"id\":\"de\",\"label\":\"unscored\",\"compound\":0.0"))
        let widened = try Self.run(["score", "--engine", "lexicon", "--score-languages", "en,de"], input: input)
        #expect(labels(widened)["de"] != "unscored")
        let narrowed = try Self.run(["score", "--engine", "lexicon", "--score-languages", "de"], input: input)
        #expect(labels(narrowed) == ["en": "unscored", "de": labels(widened)["de"]!, "none": "negative"])
        let bad = try Self.run(["score", "--score-languages", "en,!!"], input: input)
        #expect(bad.status != 0 && bad.stderr.contains("--score-languages"))

        let labelled = """
            {"text":"I love this, wonderful!","label":"positive","lang":"en"}
            {"text":"Das Essen war ausgezeichnet!","label":"positive","lang":"de"}
            {"text":"What a terrible day","label":"negative"}

            """
        let data = try Self.temporaryFile("langs.jsonl", labelled)
        defer { try? FileManager.default.removeItem(at: data) }
        let eval = try Self.run(["eval", "--data", data.path, "--engine", "lexicon", "--json"])
        #expect(eval.status == 0, "\(eval.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as! [String: Any]
        #expect(report["items"] as? Int == 2)
        #expect(report["unscored"] as? Int == 1)
        #expect(report["accuracy"] as? Double == 1)
        let all = try Self.run(["eval", "--data", data.path, "--engine", "lexicon", "--json", "--score-languages", "en,de,und"])
        let allReport = try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as! [String: Any]
        #expect(allReport["items"] as? Int == 3)
        #expect(allReport["unscored"] as? Int == 0)
    }

    @Test("train --binary writes a presence-count Naive Bayes that scores")
    func trainBinary() throws {
        let data = try Self.temporaryFile("train.jsonl", Self.trainingData)
        let model = try Self.temporaryFile("model.bin")
        defer { [data, model].forEach { try? FileManager.default.removeItem(at: $0) } }
        let train = try Self.run(["train", "--data", data.path, "--out", model.path, "--binary"])
        #expect(train.status == 0, "\(train.stderr)")
        let file = try ModelFile(bytes: [UInt8](try Data(contentsOf: model)))
        #expect(file.bayes.binary)
        let run = try Self.run(["eval", "--data", data.path, "--engine", "bayes", "--model", model.path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let plain = try Self.temporaryFile("plain.bin")
        defer { try? FileManager.default.removeItem(at: plain) }
        #expect(try Self.run(["train", "--data", data.path, "--out", plain.path]).status == 0)
        #expect(try ModelFile(bytes: [UInt8](try Data(contentsOf: plain))).bayes.binary == false)
    }

    @Test("train --default rebuilds the shipped default model byte for byte from corpora/ alone")
    func defaultModelIsReproducible() throws {
        // A copy of corpora/ holding only the train and dev parts: the build must not need
        // the test parts (or anything fetched into .cache).
        let source = TestEnvironment.projectRoot.appendingPathComponent("corpora")
        let corpora = try Self.temporaryFile("corpora")
        try FileManager.default.createDirectory(at: corpora, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: corpora) }
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path)
        where name.hasSuffix(".train.jsonl") || name.hasSuffix(".dev.jsonl") {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name),
                                             to: corpora.appendingPathComponent(name))
        }
        let rebuilt = try Self.temporaryFile("default.model")
        defer { try? FileManager.default.removeItem(at: rebuilt) }
        let run = try Self.run(["train", "--default", "--corpora", corpora.path, "--out", rebuilt.path])
        #expect(run.status == 0, "\(run.stderr)")
        let shipped = TestEnvironment.projectRoot.appendingPathComponent("lexicons/sentiment-default.model")
        let expected = try Data(contentsOf: shipped)
        #expect(try Data(contentsOf: rebuilt) == expected)
        #expect(expected.count < 2_000_000)
    }

    @Test("user errors are `sentiment: error: …` with exit 2", .timeLimit(.minutes(2)))
    func userErrorsFollowTheProjectConvention() throws {
        let missing = try Self.run(["score", "--engine", "bayes", "/nonexistent/input.jsonl"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "sentiment: error: cannot read /nonexistent/input.jsonl: No such file or directory\n")

        let directory = FileManager.default.temporaryDirectory.path
        let dir = try Self.run(["score", "--engine", "bayes", directory])
        #expect(dir.status == 2)
        #expect(dir.stderr == "sentiment: error: cannot read \(directory): it is a directory\n")
    }

    @Test("an input with no usable line is an error with a one-line count", .timeLimit(.minutes(2)))
    func allMalformedInputFails() throws {
        let run = try Self.run(["score", "--engine", "bayes"], input: "not json\n{\"id\": 1}\n[1, 2]\n")
        #expect(run.status == 2)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.last == "sentiment: error: no line could be scored: 3 malformed line(s)")
        #expect(lines.count == 4, "three line reports and one error: \(run.stderr)")
        let empty = try Self.run(["score", "--engine", "bayes"], input: "")
        #expect(empty.status == 0, "no input is not an error")
    }

    @Test("a hostile model file is one line and exit 2, not a trap", .timeLimit(.minutes(2)))
    func hostileModelFile() throws {
        // Valid magic, version and checksum; section 1 claims 2^63 bytes.
        var bytes = Array("SENTIMENT-MODEL\n".utf8) + [1, 0, 1] + [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01] + [0]
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8((hash >> UInt64(shift)) & 0xFF)) }
        let model = try Self.temporaryFile("hostile.model")
        try Data(bytes).write(to: model)
        defer { try? FileManager.default.removeItem(at: model) }
        let run = try Self.run(["score", "--engine", "bayes", "--model", model.path], input: "{\"text\":\"x\"}\n")
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("sentiment: error: "))
        #expect(run.stderr.contains("section length"))
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test("train never echoes control sequences from a corpus to the terminal", .timeLimit(.minutes(2)))
    func trainEscapesControlCharacters() throws {
        let hostile = Self.trainingData + "{\"text\": \"x\", \"label\": \"\\u001b]0;owned\\u0007\\u001b[2J\"}\n"
            + "1\t\u{1B}[31mred\t\u{1B}[2Jtext\n"
        let data = try Self.temporaryFile("hostile.jsonl", hostile)
        let model = try Self.temporaryFile("model.bin")
        defer { [data, model].forEach { try? FileManager.default.removeItem(at: $0) } }
        let run = try Self.run(["train", "--data", data.path, "--out", model.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(run.stderr.debugDescription)")
        #expect(run.stderr.contains("\\u{1B}]0;owned\\u{7}"))
    }
}
