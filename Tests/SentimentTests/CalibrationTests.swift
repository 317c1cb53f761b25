import Foundation
import PipelineModel
import PipelineTesting
import Testing
@testable import Sentiment

@Suite("Calibration")
struct CalibrationTests {
    @Test("expected calibration error: zero when confidence matches accuracy, large when overconfident")
    func expectedError() {
        // Confidence 0.6 on each row, right on 6 of 10: calibrated.
        let rows = Array(repeating: [0.6, 0.3, 0.1], count: 10)
        let gold = (0..<10).map { $0 < 6 ? SentimentLabel.negative : .neutral }
        #expect(abs(Calibration.expectedError(probabilities: rows, gold: gold)) < 1e-12)
        let overconfident = Array(repeating: [0.99, 0.005, 0.005], count: 10)
        #expect(abs(Calibration.expectedError(probabilities: overconfident, gold: gold) - 0.39) < 1e-9)
    }

    @Test("temperature scaling recovers the temperature that generated the labels")
    func temperatureRecovery() {
        var generator = SplitMix64(seed: 5)
        var logits: [[Double]] = [], gold: [SentimentLabel] = []
        for _ in 0..<4000 {
            let z = (0..<3).map { _ in Double(generator.next(below: 10_000)) / 1000 - 5 }
            // Labels drawn from softmax(z / 2): the right temperature is 2.
            let p = z.map { exp($0 / 2) }, total = p.reduce(0, +)
            let u = Double(generator.next(below: 1_000_000)) / 1_000_000 * total
            gold.append(SentimentLabel(index: u < p[0] ? 0 : (u < p[0] + p[1] ? 1 : 2))!)
            logits.append(z)
        }
        let t = Calibration.temperature(logits: logits, gold: gold)
        #expect(t > 1.7 && t < 2.3, "fitted \(t)")
    }

    @Test("the shipped hybrid is calibrated on the open dev parts and its compound does not saturate",
          .timeLimit(.minutes(3)))
    func shippedHybridOnDev() throws {
        let root = TestEnvironment.projectRoot
        let engine = try EngineCatalog.make(.hybrid, modelPath: root.appendingPathComponent("lexicons/sentiment-default.model").path)
        var items: [LabelledText] = []
        for corpus in ["vader-tweets", "vader-snippets", "goemotions", "finance-tweets"] {
            let data = try #require(FileManager.default.contents(atPath: root.appendingPathComponent("corpora/\(corpus).dev.jsonl").path))
            items += try CorpusParser.parseAll(String(decoding: data, as: UTF8.self))
        }
        let results = engine.score(items.map(\.text))
        let ece = Calibration.expectedError(probabilities: results.map { $0.probabilities! }, gold: items.map(\.label))
        #expect(ece < 0.04, "dev ECE \(ece)")
        let short = engine.score(["meh", "Das Essen war ausgezeichnet!", "ok"])
        for result in short { #expect(result.compound > -0.9 && result.compound < 0.9, "\(result)") }
        let clear = engine.score(["I love this so much, best day ever!", "This is awful, I hate it."])
        #expect(clear[0].compound > 0.5 && clear[1].compound < -0.5)
    }
}
