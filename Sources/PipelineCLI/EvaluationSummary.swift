import PipelineModel
import Foundation
import Sentiment

/// What `pipeline evaluate` measured: throughput, latency, per-keyword results, accuracy.
struct EvaluationSummary: Codable {
    struct Latency: Codable {
        var p50Milliseconds: Double
        var p90Milliseconds: Double
        var p99Milliseconds: Double
        var maxMilliseconds: Double
    }
    struct Accuracy: Codable {
        var labelled: Int
        var accuracy: Double
        var macroF1: Double
        var macroRecall: Double
        /// Rows gold, columns predicted, in negative/neutral/positive order.
        var confusion: [[Int]]
    }

    var engine: String
    var engineVersion: String
    var workers: Int
    /// "in-memory" or "MongoDB": where the queue and store lived.
    var backend: String
    var posts: Int
    var seconds: Double
    var postsPerSecond: Double
    var latency: Latency?
    var keywords: [KeywordTotals]
    var accuracy: Accuracy?
    /// What the alert detectors would have fired (with `--alerts-config` or an alert flag).
    var alerts: [AlertMessage]?

    /// A Markdown report.
    var markdown: String {
        var lines = ["# Pipeline evaluation", "",
                     "Engine `\(engine)` \(engineVersion), \(workers) workers, \(backend) queue and store.", "",
                     "| measure | value |", "|---|---|",
                     "| posts | \(posts) |",
                     "| wall time | \(String(format: "%.3f", seconds)) s |",
                     "| throughput | \(String(format: "%.0f", postsPerSecond)) posts/s |"]
        if let latency {
            lines.append("| latency p50 / p90 / p99 / max (received → aggregated) | "
                + [latency.p50Milliseconds, latency.p90Milliseconds, latency.p99Milliseconds, latency.maxMilliseconds]
                    .map { String(format: "%.1f", $0) }.joined(separator: " / ") + " ms |")
        }
        if let accuracy {
            lines.append("| labelled posts | \(accuracy.labelled) |")
            lines.append("| accuracy | \(String(format: "%.3f", accuracy.accuracy)) |")
            lines.append("| macro-F1 | \(String(format: "%.3f", accuracy.macroF1)) |")
            lines.append("| macro-recall | \(String(format: "%.3f", accuracy.macroRecall)) |")
        }
        lines += ["", "| keyword | posts | positive | neutral | negative | unscored | mean compound |",
                  "|---|---|---|---|---|---|---|"]
        for k in keywords {
            lines.append("| \(k.keyword) | \(k.count) | \(k.positive) | \(k.neutral) | \(k.negative) | \(k.unscored) | "
                + (k.meanCompound.map { String(format: "%+.3f", $0) } ?? "–") + " |")
        }
        if let alerts { lines += AlertReport.markdown(alerts) }
        if let accuracy {
            lines += ["", "Confusion matrix (rows gold, columns predicted: negative, neutral, positive):", ""]
            lines += accuracy.confusion.map { "    " + $0.map { String($0) }.joined(separator: "\t") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
