import PipelineModel
import Foundation
import PipelineTesting
import Sentiment
import Testing

/// Differential test against the reference implementation, vaderSentiment 3.3.2 (run
/// through `scripts/oracles/vader_scores.py` in the test venv), on every ground-truth
/// text and on hand-made edge cases. Acceptance: |Δcompound| ≤ 0.01 for ≥ 99 % of the
/// texts and the same 3-class label for ≥ 99.5 %, in every set.
@Suite struct LexiconParityTests {
    static let corpora = ["tweets", "movieReviewSnippets", "amazonReviewSnippets", "nytEditorialSnippets"]

    @Test(arguments: corpora)
    func groundTruthCorpusMatchesReference(_ corpus: String) throws {
        let url = TestEnvironment.projectRoot.appendingPathComponent(".cache/corpora/\(corpus)_GroundTruth.txt")
        let texts = try GroundTruth.texts(at: url)
        #expect(texts.count > 3000, "too few texts in \(url.path)")
        try checkParity(corpus, texts)
    }

    @Test func edgeCasesMatchReference() throws {
        try checkParity("edge cases", LexiconEdgeCases.texts)
    }

    private func checkParity(_ name: String, _ texts: [String]) throws {
        let reference = try VaderOracle.scores(for: texts)
        try #require(reference.count == texts.count)
        let scorer = try LexiconScorer.load()
        var closeCompound = 0
        var sameLabel = 0
        var mismatches: [String] = []
        for (text, expected) in zip(texts, reference) {
            let actual = scorer.polarityScores(text)
            let close = abs(actual.compound - expected.compound) <= 0.01
            let label = SentimentLabel(compound: actual.compound) == SentimentLabel(compound: expected.compound)
            if close { closeCompound += 1 }
            if label { sameLabel += 1 }
            if !close || !label, mismatches.count < 10 {
                mismatches.append("  \(text.debugDescription): ours \(actual.compound), reference \(expected.compound)")
            }
        }
        let compoundShare = Double(closeCompound) / Double(texts.count)
        let labelShare = Double(sameLabel) / Double(texts.count)
        print("lexicon parity \(name): \(texts.count) texts, |Δcompound| ≤ 0.01: "
              + "\(percent(compoundShare)), same label: \(percent(labelShare))")
        if !mismatches.isEmpty { print(mismatches.joined(separator: "\n")) }
        #expect(compoundShare >= 0.99, "\(name): compound within 0.01 for only \(percent(compoundShare))")
        #expect(labelShare >= 0.995, "\(name): same label for only \(percent(labelShare))")
    }

    private func percent(_ share: Double) -> String {
        String(format: "%.2f %%", share * 100)
    }
}

/// Reads the ground-truth TSV files (id, mean rating, text; CRLF line ends).
enum GroundTruth {
    static func texts(at url: URL) throws -> [String] {
        let content = try String(contentsOf: url, encoding: .utf8)
        return content.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).compactMap { line in
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            return fields.count == 3 ? String(fields[2]) : nil
        }
    }
}

/// Runs the reference through the venv's Python.
enum VaderOracle {
    struct Scores: Decodable {
        var neg: Double
        var neu: Double
        var pos: Double
        var compound: Double
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func scores(for texts: [String]) throws -> [Scores] {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("vader-oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in.jsonl")
        let output = folder.appendingPathComponent("out.jsonl")
        let encoder = JSONEncoder()
        var lines = Data()
        for text in texts {
            lines.append(try encoder.encode(["text": text]))
            lines.append(0x0A)
        }
        try lines.write(to: input)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)

        let process = Process()
        process.executableURL = TestEnvironment.python
        process.arguments = [TestEnvironment.projectRoot.appendingPathComponent("scripts/oracles/vader_scores.py").path]
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "vader_scores.py exited with \(process.terminationStatus); "
                          + "is vaderSentiment installed in \(TestEnvironment.python.path)?")
        }
        let decoder = JSONDecoder()
        return try String(contentsOf: output, encoding: .utf8).split(separator: "\n").map {
            try decoder.decode(Scores.self, from: Data($0.utf8))
        }
    }
}
