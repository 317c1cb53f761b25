import PipelineModel
import Foundation

/// Reads labelled corpora from lines: the ground-truth TSV of Hutto & Gilbert (2014)
/// (`id<TAB>mean rating<TAB>text`, ratings −4…4) and JSONL (`text`, `label`, optional `id`, `source` and `lang`).
///
/// Works line by line so callers stream files of any size; parsing does no I/O.
public enum CorpusParser {
    /// The two accepted layouts.
    public enum Format: Sendable {
        /// `id<TAB>mean rating<TAB>text`; gold label from rating/4 with ±0.05 thresholds.
        case groundTruth
        /// One JSON object per line with `text` and `label` (`positive|neutral|negative`).
        case jsonLines
    }

    /// Guesses the format from the first non-empty line: JSON objects start with `{`.
    public static func detectFormat(firstLine: Substring) -> Format {
        firstLine.drop(while: { $0 == " " || $0 == "\t" }).first == "{" ? .jsonLines : .groundTruth
    }

    /// Parses one line; `nil` for a blank line, a `CorpusFormatError` for a malformed one.
    public static func parse(_ rawLine: Substring, format: Format, lineNumber: Int) throws -> LabelledText? {
        var line = rawLine
        if line.last == "\r" { line = line.dropLast() }
        if line.allSatisfy({ $0 == " " || $0 == "\t" }) { return nil }
        switch format {
        case .groundTruth: return try parseGroundTruth(line, lineNumber: lineNumber)
        case .jsonLines: return try parseJSON(line, lineNumber: lineNumber)
        }
    }

    /// The paper's gold label for a mean rating on the −4…4 scale.
    public static func label(forRating rating: Double) -> SentimentLabel {
        SentimentLabel(compound: rating / 4)
    }

    /// Parses a whole corpus held in memory, stopping at the first malformed line.
    public static func parseAll(_ content: String, format: Format? = nil) throws -> [LabelledText] {
        var result: [LabelledText] = []
        var resolved = format
        // "\r\n" is one Character in Swift, so both terminators are separators here.
        let lines = content.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (offset, line) in lines.enumerated() {
            if resolved == nil, !line.isEmpty { resolved = detectFormat(firstLine: line) }
            if let item = try parse(line, format: resolved ?? .groundTruth, lineNumber: offset + 1) {
                result.append(item)
            }
        }
        return result
    }

    private static func parseGroundTruth(_ line: Substring, lineNumber: Int) throws -> LabelledText {
        // The text itself may contain tabs: only the first two separate fields.
        let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3 else { throw CorpusFormatError.fieldCount(fields.count, line: lineNumber) }
        let ratingText = fields[1].trimmingCharacters(in: .whitespaces)
        guard let rating = Double(ratingText), rating.isFinite else {
            throw CorpusFormatError.rating(String(fields[1]), line: lineNumber)
        }
        return LabelledText(id: String(fields[0]), text: String(fields[2]), label: label(forRating: rating))
    }

    private static func parseJSON(_ line: Substring, lineNumber: Int) throws -> LabelledText {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            throw CorpusFormatError.json(line: lineNumber)
        }
        guard let text = object["text"] as? String else { throw CorpusFormatError.missingText(line: lineNumber) }
        let rawLabel = object["label"]
        guard let name = rawLabel as? String, let label = SentimentLabel(className: name.lowercased()) else {
            throw CorpusFormatError.label(rawLabel.map { "\($0)" } ?? "", line: lineNumber)
        }
        let id: String? = switch object["id"] {
        case let string as String: string
        case let number as NSNumber: number.stringValue
        default: nil
        }
        return LabelledText(id: id, text: text, label: label, source: object["source"] as? String,
                            lang: object["lang"] as? String)
    }
}
