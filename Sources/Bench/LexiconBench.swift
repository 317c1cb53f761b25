import PipelineModel
import ArgumentParser
import Foundation
import Sentiment
#if canImport(Glibc)
import Glibc
#endif

/// `bench lexicon`: the lexicon engine against vaderSentiment's `polarity_scores` on the
/// same texts in one run, single core each: texts/s for both, the ratio, and score parity.
struct LexiconBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lexicon",
        abstract: "Lexicon scorer vs vaderSentiment 3.3.2: texts/s, ratio and parity on the same texts."
    )

    @Option(help: "Ground-truth TSV (id, rating, text).")
    var corpus = ".cache/corpora/tweets_GroundTruth.txt"

    @Option(help: "Python with vaderSentiment 3.3.2 installed.")
    var python = ".venv/bin/python"

    @Option(help: "The reference oracle script.")
    var oracle = "scripts/oracles/vader_scores.py"

    @Option(help: "Minimum CPU seconds to time each side (texts are repeated until reached).")
    var seconds = 1.0

    func run() throws {
        do {
            try measure()
        } catch {
            FileHandle.standardError.write(Data("bench lexicon: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func measure() throws {
        let texts = try Self.groundTruthTexts(at: corpus)
        guard !texts.isEmpty else { throw LexiconBenchFailure("no texts in \(corpus)") }
        let scorer = try LexiconScorer.load()

        // Ours: whole passes over the texts until the CPU budget is spent. CPU time of this
        // thread is the headline figure (the machines are shared); wall time is shown too.
        var checksum = 0.0
        var rounds = 0
        let wallStart = ContinuousClock.now
        let cpuStart = Self.threadCPUSeconds()
        var cpuSeconds = 0.0
        repeat {
            for result in scorer.score(texts) { checksum += result.compound }
            rounds += 1
            cpuSeconds = Self.threadCPUSeconds() - cpuStart
        } while cpuSeconds < seconds
        let wall = ContinuousClock.now - wallStart
        let wallSeconds = wall.inSeconds
        let oursCPU = Double(texts.count * rounds) / cpuSeconds
        let oursWall = Double(texts.count * rounds) / wallSeconds

        let input = try Self.jsonl(texts)
        let timing = try runOracle(["--bench", String(seconds)], input: input)
        guard let line = timing.split(separator: "\n").first,
              let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let referenceCPU = object["texts_per_cpu_second"] as? Double,
              let referenceWall = object["texts_per_second"] as? Double else {
            throw LexiconBenchFailure("unexpected oracle output: \(timing.prefix(200))")
        }

        let referenceScores = try runOracle([], input: input).split(separator: "\n").map { line -> Double in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let compound = object["compound"] as? Double else {
                throw LexiconBenchFailure("unexpected oracle output line: \(line.prefix(200))")
            }
            return compound
        }
        guard referenceScores.count == texts.count else {
            throw LexiconBenchFailure("oracle returned \(referenceScores.count) scores for \(texts.count) texts")
        }
        var close = 0
        var sameLabel = 0
        for (result, expected) in zip(scorer.score(texts), referenceScores) {
            if abs(result.compound - expected) <= 0.01 { close += 1 }
            if result.label == SentimentLabel(compound: expected) { sameLabel += 1 }
        }

        let percentClose = Double(close) * 100 / Double(texts.count)
        let percentLabel = Double(sameLabel) * 100 / Double(texts.count)
        print("lexicon scoring, \(texts.count) texts from \(corpus), one thread each")
        print("                 texts/CPU-s   texts/s (wall)")
        print(String(format: "  this project   %11.0f   %11.0f   (%ld rounds, checksum %.4f)",
                     oursCPU, oursWall, rounds, checksum))
        print(String(format: "  vaderSentiment %11.0f   %11.0f", referenceCPU, referenceWall))
        print(String(format: "  ratio          %10.1f×   %10.1f×   (goal ≥ 30×)",
                     oursCPU / referenceCPU, oursWall / referenceWall))
        print(String(format: "  parity: |Δcompound| ≤ 0.01 for %.2f %%, same label for %.2f %%",
                     percentClose, percentLabel))
    }

    /// CPU time consumed by the calling thread.
    private static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    private func runOracle(_ arguments: [String], input: Data) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw LexiconBenchFailure("no Python at \(python) (run scripts/bootstrap, or pass --python)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-lexicon-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputURL = folder.appendingPathComponent("in.jsonl")
        let outputURL = folder.appendingPathComponent("out.jsonl")
        try input.write(to: inputURL)
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [oracle] + arguments
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw LexiconBenchFailure("\(oracle) exited with status \(process.terminationStatus)")
        }
        return try String(contentsOf: outputURL, encoding: .utf8)
    }

    private static func jsonl(_ texts: [String]) throws -> Data {
        let encoder = JSONEncoder()
        var data = Data()
        for text in texts {
            data.append(try encoder.encode(["text": text]))
            data.append(0x0A)
        }
        return data
    }

    static func groundTruthTexts(at path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LexiconBenchFailure("cannot read \(path) (run scripts/fetch-corpora, or pass --corpus)")
        }
        return String(decoding: data, as: UTF8.self)
            .split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .compactMap { line in
                let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
                return fields.count == 3 ? String(fields[2]) : nil
            }
    }
}

/// A benchmark precondition that failed; printed as one line.
struct LexiconBenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
