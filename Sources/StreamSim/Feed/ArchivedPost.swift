/// One post of the simulator's feed: the archived JSON of `data` (and `includes`) kept
/// byte-for-byte, plus the fields matching needs.
public struct ArchivedPost: Sendable {
    /// The post id.
    public var id: String
    /// The post text (rules match against it).
    public var text: String
    /// The post's `lang`, when archived.
    public var lang: String?
    /// The author's handle (from `includes.users`), when archived; `from:` rules match it.
    public var authorUsername: String?
    /// The `data` object exactly as archived.
    public var data: [UInt8]
    /// The `includes` object exactly as archived, if any.
    public var includes: [UInt8]?
    /// Where `"<id>"` occurs in `data` (the id and e.g. `edit_history_tweet_ids`), so a
    /// looping feed can give each pass fresh ids without re-encoding.
    var idOccurrences: [Range<Int>]
    /// Where the value of `"created_at":"…"` lies in `data` (inside the quotes), if it has
    /// one: `--restamp` replaces it with the time the post is sent.
    var createdAtValue: Range<Int>?

    /// A post from its parts; `data` must contain `"id":"<id>"`.
    public init(id: String, text: String, lang: String?, authorUsername: String? = nil, data: [UInt8], includes: [UInt8]?) {
        self.id = id
        self.authorUsername = authorUsername
        self.text = text
        self.lang = lang
        self.data = data
        self.includes = includes
        self.idOccurrences = Self.occurrences(of: Array("\"\(id)\"".utf8), in: data)
        let key = Array(#""created_at":""#.utf8)
        if let start = Self.occurrences(of: key, in: data).first?.upperBound,
           let end = data[start...].firstIndex(of: UInt8(ascii: "\"")) {
            createdAtValue = start..<end
        }
    }

    private static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Range<Int>] {
        guard !needle.isEmpty, haystack.count >= needle.count else { return [] }
        var result: [Range<Int>] = []
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) {
                result.append(index..<(index + needle.count))
                index += needle.count
            } else {
                index += 1
            }
        }
        return result
    }

    /// Appends `data` to `buffer`, with the id replaced by `freshID` and `created_at` by
    /// `createdAt` (ISO 8601 text; added as the first member when the post has none) when
    /// given.
    func appendData(to buffer: inout [UInt8], freshID: String?, createdAt: [UInt8]? = nil) {
        guard freshID != nil || createdAt != nil else {
            buffer.append(contentsOf: data)
            return
        }
        var edits: [(range: Range<Int>, bytes: [UInt8])] = []
        if let freshID {
            let quoted = [UInt8(ascii: "\"")] + Array(freshID.utf8) + [UInt8(ascii: "\"")]
            edits += idOccurrences.map { ($0, quoted) }
        }
        if let createdAt {
            if let createdAtValue {
                edits.append((createdAtValue, createdAt))
            } else if data.count >= 2, data[0] == UInt8(ascii: "{") {
                let empty = data[1...].first { !$0.isJSONSpace } == UInt8(ascii: "}")
                edits.append((1..<1, Array(#""created_at":""#.utf8) + createdAt
                                + Array((empty ? "\"" : "\",").utf8)))
            }
        }
        var copied = 0
        for edit in edits.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            buffer.append(contentsOf: data[copied..<edit.range.lowerBound])
            buffer.append(contentsOf: edit.bytes)
            copied = edit.range.upperBound
        }
        buffer.append(contentsOf: data[copied...])
    }
}

private extension UInt8 {
    var isJSONSpace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}
