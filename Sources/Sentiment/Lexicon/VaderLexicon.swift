/// The ratings the lexicon engine reads: token → mean valence (−4…4) from
/// `vader_lexicon.txt`, and emoji → English description from `emoji_utf8_lexicon.txt`.
/// Parsing is a pure function of the files' text; `LexiconFiles` finds and reads them.
public struct VaderLexicon: Sendable {
    /// Mean valence per token, keyed exactly as written in the file.
    public var valences: [String: Double]
    /// Description per emoji, keyed exactly as written in the file.
    public var emojiDescriptions: [String: String]
    /// Non-empty lines that had no tab-separated second field or no numeric valence; skipped.
    public var malformedLines: Int

    /// Parses both files. Each non-empty line is `key<TAB>value[<TAB>…]` after trimming
    /// surrounding whitespace; later duplicates win. Bad lines are counted in `malformedLines`.
    public init(lexiconText: String, emojiText: String) {
        var malformed = 0
        var valences: [String: Double] = [:]
        valences.reserveCapacity(8192)
        for (key, value) in Self.fields(of: lexiconText, malformed: &malformed) {
            if let valence = Double(value) {
                valences[key] = valence
            } else {
                malformed += 1
            }
        }
        var emoji: [String: String] = [:]
        emoji.reserveCapacity(4096)
        for (key, value) in Self.fields(of: emojiText, malformed: &malformed) {
            emoji[key] = value
        }
        self.valences = valences
        self.emojiDescriptions = emoji
        self.malformedLines = malformed
    }

    /// The first two tab-separated fields of each non-empty line.
    private static func fields(of text: String, malformed: inout Int) -> [(String, String)] {
        var result: [(String, String)] = []
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty { continue }
            let parts = trimmed.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, !parts[0].isEmpty else {
                malformed += 1
                continue
            }
            result.append((String(parts[0]), String(parts[1])))
        }
        return result
    }
}

extension Substring {
    /// The substring without leading and trailing whitespace.
    fileprivate func trimmingWhitespace() -> Substring {
        var start = startIndex
        var end = endIndex
        while start < end, self[start].isWhitespace { formIndex(after: &start) }
        while end > start, self[index(before: end)].isWhitespace { formIndex(before: &end) }
        return self[start..<end]
    }
}
