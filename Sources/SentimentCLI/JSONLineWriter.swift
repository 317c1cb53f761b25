import PipelineModel
import Sentiment

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Encodes score results as JSON lines with a fixed key order and buffers them for stdout.
struct JSONLineWriter {
    private var buffer = ""

    /// Appends one result line; `id` is already JSON (a quoted string or a number).
    mutating func append(id: String?, result: SentimentResult, probabilistic: Bool) {
        buffer += "{"
        if let id { buffer += "\"id\":\(id)," }
        buffer += "\"label\":\"\(result.label.rawValue)\",\"compound\":\(Self.number(result.compound))"
        if probabilistic {
            let p = result.probabilities ?? [result.negative, result.neutral, result.positive]
            buffer += ",\"probabilities\":{"
            buffer += SentimentLabel.classes.map { "\"\($0.rawValue)\":\(Self.number(p[$0.index]))" }
                .joined(separator: ",")
            buffer += "}"
        } else {
            buffer += ",\"pos\":\(Self.number(result.positive)),\"neu\":\(Self.number(result.neutral))"
            buffer += ",\"neg\":\(Self.number(result.negative))"
        }
        buffer += "}\n"
    }

    /// Writes the buffered lines to stdout.
    mutating func flush() {
        guard !buffer.isEmpty else { return }
        StandardStreams.output(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }

    /// A JSON string literal for `text`.
    static func string(_ text: String) -> String {
        JSONString.literal(text)
    }
}
