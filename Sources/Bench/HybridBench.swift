import ArgumentParser
import Foundation
import Sentiment
#if canImport(Glibc)
import Glibc
#endif

/// `bench hybrid`: scoring throughput of the default engine on one core, next to its parts
/// (lexicon, Naive Bayes, logistic regression) and, when given, the hybrid of another model
/// file (e.g. the previous default), all in one run over the same texts in the same batches.
struct HybridBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hybrid",
        abstract: "Hybrid scoring texts/CPU-s vs the lexicon alone (and another model), same texts, same run."
    )

    @Option(help: "JSONL corpora whose texts are scored (repeatable; default: the VADER and finance tweets).")
    var data: [String] = []

    @Option(help: "Model file of the hybrid (default: lexicons/sentiment-default.model).")
    var model: String?

    @Option(help: "A second model file whose hybrid is timed alongside (e.g. main's default model).")
    var baselineModel: String?

    @Option(help: "Texts per `score` call (the consumer's default batch).")
    var batch = 500

    @Option(help: "Minimum CPU seconds per timing.")
    var seconds = 1.0

    @Option(help: "Rounds over all engines, interleaved (the best round of each engine is kept).")
    var repeats = 3

    func run() throws {
        let paths = data.isEmpty
            ? ["vader-tweets.train", "vader-tweets.dev", "vader-tweets.test", "finance-tweets.test"]
                .map { "corpora/\($0).jsonl" }
            : data
        let texts = try paths.flatMap { path -> [String] in
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw ValidationError("cannot read \(path)")
            }
            return try CorpusParser.parseAll(String(decoding: contents, as: UTF8.self)).map(\.text)
        }
        guard !texts.isEmpty, batch > 0 else { throw ValidationError("no texts to score") }
        let batches = stride(from: 0, to: texts.count, by: batch).map {
            Array(texts[$0..<min($0 + batch, texts.count)])
        }
        var engines: [(label: String, engine: any SentimentEngine)] = [
            ("lexicon", try EngineCatalog.make(.lexicon)),
            ("bayes", try EngineCatalog.make(.bayes, modelPath: model)),
            ("logreg", try EngineCatalog.make(.logreg, modelPath: model)),
            ("hybrid", try EngineCatalog.make(.hybrid, modelPath: model)),
        ]
        if let baselineModel {
            engines.append(("hybrid, baseline model", try EngineCatalog.make(.hybrid, modelPath: baselineModel)))
        }
        var best = [Double](repeating: 0, count: engines.count)
        var checksums = [Double](repeating: 0, count: engines.count)
        for _ in 0..<max(1, repeats) {
            for (k, entry) in engines.enumerated() {
                let (rate, checksum) = measure(entry.engine, batches: batches, count: texts.count)
                best[k] = max(best[k], rate)
                checksums[k] = checksum
            }
        }
        let lexicon = best[0]
        let hybrid = best[3]
        print("scoring \(texts.count) texts from \(paths.joined(separator: ", ")), batches of \(batch), one thread, "
            + "best of \(repeats) interleaved rounds")
        print("  engine                      texts/CPU-s   ÷ lexicon   ÷ hybrid")
        for (k, entry) in engines.enumerated() {
            let name = entry.label.padding(toLength: 26, withPad: " ", startingAt: 0)
            print("  " + name + String(format: " %12.0f   %8.2f×  %8.2f×   (checksum %.3f)",
                                       best[k], best[k] / lexicon, best[k] / hybrid, checksums[k]))
        }
        print(String(format: "  hybrid goal ≥ 250,000 texts/CPU-s: %@", hybrid >= 250_000 ? "met" : "NOT met"))
    }

    /// Texts per CPU-second of this thread over whole passes until the budget is spent, and
    /// the sum of the compounds of one pass (so no pass can be optimised away).
    private func measure(_ engine: any SentimentEngine, batches: [[String]], count: Int) -> (Double, Double) {
        var checksum = 0.0
        var passes = 0
        let start = Self.threadCPUSeconds()
        var elapsed = 0.0
        repeat {
            checksum = 0
            for texts in batches {
                for result in engine.score(texts) { checksum += result.compound }
            }
            passes += 1
            elapsed = Self.threadCPUSeconds() - start
        } while elapsed < seconds
        return (Double(count * passes) / elapsed, checksum)
    }

    private static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
