/// A case-insensitive word search in post texts: a text matches when it holds every word
/// of the query as a word of its own. Words are runs of letters, digits and `_`, so
/// `#swift` and `@swift` contain the word `swift`, and `swiftly` does not. Both stores
/// filter with this one matcher, so they agree on what a search finds.
public struct PostSearch: Sendable, Hashable {
    /// The query's distinct words, lowercased.
    public let words: [String]

    /// The search for `query`; nil when it holds no word (blank or punctuation only).
    public init?(_ query: String) {
        var seen = Set<String>()
        let words = Self.words(of: query).filter { seen.insert($0).inserted }
        guard !words.isEmpty else { return nil }
        self.words = words
    }

    /// Whether `text` contains every word of the query.
    public func matches(_ text: String) -> Bool {
        let own = Set(Self.words(of: text))
        return words.allSatisfy(own.contains)
    }

    /// The lowercased words of `text`.
    static func words(of text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init)
    }
}
