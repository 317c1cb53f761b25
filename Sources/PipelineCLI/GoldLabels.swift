import PipelineModel
import Wiring
import Foundation
import Sentiment

/// Gold labels for evaluation, from a side file keyed by post id: JSON lines
/// (`{"id":"…","label":"positive"}`) or tab-separated `id<TAB>label` lines.
enum GoldLabels {
    /// Reads the file; malformed lines are counted and reported, not fatal.
    static func load(path: String) throws -> (labels: [String: SentimentLabel], malformed: Int) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("cannot read labels file \(path)")
        }
        var labels: [String: SentimentLabel] = [:]
        var malformed = 0
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            if text.hasPrefix("{") {
                struct Row: Decodable { var id: String; var label: SentimentLabel }
                if let row = try? JSONDecoder().decode(Row.self, from: Data(text.utf8)), row.label.isClass {
                    labels[row.id] = row.label
                } else {
                    malformed += 1
                }
            } else {
                let fields = text.split(separator: "\t")
                if fields.count == 2, let label = SentimentLabel(className: String(fields[1])) {
                    labels[String(fields[0])] = label
                } else {
                    malformed += 1
                }
            }
        }
        return (labels, malformed)
    }
}
