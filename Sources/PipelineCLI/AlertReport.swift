import Foundation
import PipelineModel

/// The alerts a back-test found, for the evaluation report (times ISO 8601, UTC).
enum AlertReport {
    /// One episode.
    struct Row: Codable {
        var id: String
        var keyword: String
        var kind: String
        /// `ended`, or `open` when it still held at the end of the replay.
        var state: String
        var start: String
        var end: String
        var observed: Double
        var expected: Double
        var text: String
    }

    static func rows(_ alerts: [Alert]) -> [Row] {
        alerts.map {
            Row(id: $0.id, keyword: $0.keyword, kind: $0.kind.rawValue, state: $0.state == .ended ? "ended" : "open",
                start: iso($0.start), end: iso($0.end), observed: $0.observed, expected: $0.expected, text: $0.summary)
        }
    }

    /// The Markdown section.
    static func markdown(_ alerts: [Row]) -> [String] {
        var lines = ["", "## Alerts that would have fired", ""]
        if alerts.isEmpty { return lines + ["None."] }
        lines += ["| keyword | kind | start | end | observed | expected | state |", "|---|---|---|---|---|---|---|"]
        for row in alerts {
            let volume = row.kind == "volume_spike"
            let observed = String(format: volume ? "%.0f" : "%.3f", row.observed)
            let expected = String(format: volume ? "%.1f" : "%.3f", row.expected)
            lines.append("| \(row.keyword) | \(row.kind) | \(row.start) | \(row.end) | "
                + "\(observed) | \(expected) | \(row.state) |")
        }
        return lines
    }

    private static func iso(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
    }
}
