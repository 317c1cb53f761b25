import Sentiment

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a labelled corpus file (ground-truth TSV or JSONL, detected from the first line);
/// malformed lines are reported on stderr with their number and skipped.
enum CorpusLoader {
    static func load(_ path: String) throws -> [LabelledText] {
        let reader = try LineReader(path: path)
        var format: CorpusParser.Format?
        var items: [LabelledText] = []
        var skipped = 0
        while let line = try reader.next() {
            if format == nil, !line.isEmpty { format = CorpusParser.detectFormat(firstLine: line[...]) }
            do {
                if let item = try CorpusParser.parse(line[...], format: format ?? .groundTruth,
                                                     lineNumber: reader.lineNumber) {
                    items.append(item)
                }
            } catch {
                skipped += 1
                StandardStreams.message("\(path): \(error)")
            }
        }
        if skipped > 0 { StandardStreams.message("\(path): skipped \(skipped) malformed line(s)") }
        return items
    }
}
