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

    /// A post from its parts; `data` must contain `"id":"<id>"`.
    public init(id: String, text: String, lang: String?, authorUsername: String? = nil, data: [UInt8], includes: [UInt8]?) {
        self.id = id
        self.authorUsername = authorUsername
        self.text = text
        self.lang = lang
        self.data = data
        self.includes = includes
        self.idOccurrences = Self.occurrences(of: Array("\"\(id)\"".utf8), in: data)
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

    /// Appends `data` to `buffer`, with the id replaced by `freshID` when given.
    func appendData(to buffer: inout [UInt8], freshID: String?) {
        guard let freshID else {
            buffer.append(contentsOf: data)
            return
        }
        var copied = 0
        for range in idOccurrences {
            buffer.append(contentsOf: data[copied..<range.lowerBound])
            buffer.append(UInt8(ascii: "\""))
            buffer.append(contentsOf: freshID.utf8)
            buffer.append(UInt8(ascii: "\""))
            copied = range.upperBound
        }
        buffer.append(contentsOf: data[copied...])
    }
}
