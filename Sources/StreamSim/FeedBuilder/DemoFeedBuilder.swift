import Foundation
import PipelineModel
import StreamRules

/// Turns the VADER ground-truth tweets (TSV: id, mean rating −4…4, text) into a v2
/// stream archive for the demo and evaluation: deterministic ids, timestamps, authors,
/// demo keywords, and the gold label — the same bytes on every run.
public struct DemoFeedBuilder: Sendable {
    /// Demo keywords; post `i` is assigned `keywords[i % count]`.
    public var keywords: [String]
    /// `created_at` of the first post.
    public var start: Date
    /// Posts are spread evenly over this window.
    public var window: TimeInterval
    /// How many times the corpus is repeated (with fresh ids) to make a bigger feed.
    public var copies: Int
    /// Size of the simulated author pool.
    public var authors: Int
    /// Only the ground-truth rows with these corpus ids (e.g. a held-out test part); nil: every row.
    public var corpusIDs: Set<String>?

    /// First post id; post `n` of the output gets `firstID + n`.
    public static let firstID: UInt64 = 1_800_000_000_000_000_000
    /// First author id.
    public static let firstAuthorID: UInt64 = 1_500_000_000_000_000

    /// A builder with the demo defaults: coffee/weekend/music, one hour from
    /// 2026-01-01T12:00:00Z, one copy, 500 authors.
    public init(keywords: [String] = ["coffee", "weekend", "music"],
                start: Date = Date(timeIntervalSince1970: 1_767_268_800),
                window: TimeInterval = 3600, copies: Int = 1, authors: Int = 500, corpusIDs: Set<String>? = nil) {
        self.keywords = keywords
        self.corpusIDs = corpusIDs
        self.start = start
        self.window = window
        self.copies = max(1, copies)
        self.authors = max(1, authors)
    }

    /// What `build` produced.
    public struct Output: Sendable {
        /// The archive, one stream message per line.
        public var archive: [UInt8]
        /// Lines written.
        public var posts: Int
        /// Input lines that were not `id<TAB>rating<TAB>text` (skipped).
        public var malformedLines: Int
    }

    /// One ground-truth row.
    struct Row {
        var corpusID: String
        var rating: String
        var label: String
        var text: String
    }

    /// Builds the archive from the ground-truth file's text.
    public func build(groundTruth: String) -> Output {
        var rows: [Row] = []
        var malformed = 0
        for line in groundTruth.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, let rating = Double(fields[1]), !fields[2].isEmpty else {
                malformed += 1
                continue
            }
            if let corpusIDs, !corpusIDs.contains(String(fields[0])) { continue }
            rows.append(Row(corpusID: String(fields[0]), rating: String(fields[1]),
                            label: Self.goldLabel(meanRating: rating), text: String(fields[2])))
        }
        let total = rows.count * copies
        var archive: [UInt8] = []
        archive.reserveCapacity(total * 400)
        var serial = 0
        for _ in 0..<copies {
            for row in rows {
                appendLine(row, serial: serial, total: total, to: &archive)
                serial += 1
            }
        }
        return Output(archive: archive, posts: serial, malformedLines: malformed)
    }

    /// The paper's 3-class rule on the mean rating normalised to −1…1.
    static func goldLabel(meanRating: Double) -> String {
        let normalised = meanRating / 4
        if normalised >= 0.05 { return "positive" }
        if normalised <= -0.05 { return "negative" }
        return "neutral"
    }

    private func appendLine(_ row: Row, serial: Int, total: Int, to out: inout [UInt8]) {
        let id = String(Self.firstID + UInt64(serial))
        let authorIndex = (serial &* 7919) % authors
        let authorID = String(Self.firstAuthorID + UInt64(authorIndex))
        let offset = total > 1 ? window * Double(serial) / Double(total) : 0
        let createdAt = Self.timestamp(start.addingTimeInterval(offset))
        var text = HTMLEntities.apiText(row.text)
        if !keywords.isEmpty {
            let keyword = keywords[serial % keywords.count]
            if !PostTokens(text).words.contains(Substring(keyword.lowercased())) {
                text += " #" + keyword
            }
        }
        func key(_ name: String) {
            out.append(contentsOf: Array("\"\(name)\":".utf8))
        }
        out.append(contentsOf: Array("{\"data\":{".utf8))
        key("id"); JSONString.append(id, to: &out); out.append(UInt8(ascii: ","))
        key("text"); JSONString.append(text, to: &out); out.append(UInt8(ascii: ","))
        key("created_at"); JSONString.append(createdAt, to: &out); out.append(UInt8(ascii: ","))
        key("author_id"); JSONString.append(authorID, to: &out); out.append(UInt8(ascii: ","))
        key("lang"); JSONString.append("en", to: &out); out.append(UInt8(ascii: ","))
        key("edit_history_tweet_ids"); out.append(UInt8(ascii: "["))
        JSONString.append(id, to: &out); out.append(contentsOf: Array("],".utf8))
        key("gold_label"); JSONString.append(row.label, to: &out); out.append(UInt8(ascii: ","))
        key("gold_rating"); out.append(contentsOf: Array(row.rating.utf8)); out.append(UInt8(ascii: ","))
        key("corpus_id"); JSONString.append(row.corpusID, to: &out)
        out.append(contentsOf: Array("},\"includes\":{\"users\":[{".utf8))
        key("id"); JSONString.append(authorID, to: &out); out.append(UInt8(ascii: ","))
        key("name"); JSONString.append("Demo User \(authorIndex)", to: &out); out.append(UInt8(ascii: ","))
        key("username"); JSONString.append("demo_user_\(authorIndex)", to: &out)
        out.append(contentsOf: Array("}]}}\n".utf8))
    }

    /// `created_at` format: ISO 8601, UTC, milliseconds.
    static func timestamp(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = millis / 1000
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(millis % 1000))
    }
}
