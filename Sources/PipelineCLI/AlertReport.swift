import Foundation
import PipelineModel

/// The alerts a back-test found, for the evaluation report (times ISO 8601, UTC).
enum AlertReport {
    /// One episode: its message, `state` being `ended`, or `open` when it still held at
    /// the end of the replay.
    static func rows(_ alerts: [Alert]) -> [AlertMessage] {
        alerts.map { alert in
            var row = AlertMessage(alert)
            row.state = alert.state == .ended ? "ended" : "open"
            return row
        }
    }

    /// The Markdown section.
    static func markdown(_ alerts: [AlertMessage]) -> [String] {
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
}
