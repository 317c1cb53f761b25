import Foundation

/// Resolves the keywords of a post from its `matching_rules`.
///
/// A tag in this listener's namespace gives the keyword directly; a foreign tag is used
/// as is; a rule without a tag is looked up by id in the synced rules (the API does not
/// promise `tag`). Posts without any matching rule (replayed post objects) get the
/// configured keywords their text contains, else `unmatchedKeyword`.
public struct RuleBook: Sendable, Hashable {
    /// The keyword of each known rule id.
    public var keywordsByRuleID: [String: String]
    /// Whose tags carry a keyword after the prefix.
    public var namespace: RuleNamespace
    /// Keywords searched in the text of posts that carry no rules.
    public var fallbackKeywords: [String] {
        didSet {
            fallbackNeedles = Self.needles(fallbackKeywords)
            fallbackSingles = fallbackKeywords.map { [$0] }
        }
    }
    /// `fallbackKeywords` lowercased as UTF-8, searched per post.
    private var fallbackNeedles: [[UInt8]]
    /// Each fallback keyword alone, the usual answer: handing out a shared array instead
    /// of a new one saves an allocation per post.
    private var fallbackSingles: [[String]]
    /// The keyword for a post nothing else places.
    public var unmatchedKeyword: String {
        didSet { unmatched = [unmatchedKeyword] }
    }
    /// `[unmatchedKeyword]`, shared like `fallbackSingles`.
    private var unmatched: [String]

    /// Creates a rule book.
    public init(keywordsByRuleID: [String: String] = [:], namespace: RuleNamespace = RuleNamespace(),
                fallbackKeywords: [String] = [], unmatchedKeyword: String = "unmatched") {
        self.keywordsByRuleID = keywordsByRuleID
        self.namespace = namespace
        self.fallbackKeywords = fallbackKeywords
        self.fallbackNeedles = Self.needles(fallbackKeywords)
        self.fallbackSingles = fallbackKeywords.map { [$0] }
        self.unmatchedKeyword = unmatchedKeyword
        self.unmatched = [unmatchedKeyword]
    }

    /// Builds the book from the server's rules after a sync, plus adopted rules.
    public init(serverRules: [StreamRule], adopted: [String: String] = [:], namespace: RuleNamespace,
                fallbackKeywords: [String] = []) {
        var map: [String: String] = [:]
        for rule in serverRules {
            if let tag = rule.tag {
                map[rule.id] = namespace.keyword(fromTag: tag) ?? tag
            }
        }
        map.merge(adopted) { _, new in new }
        self.init(keywordsByRuleID: map, namespace: namespace, fallbackKeywords: fallbackKeywords)
    }

    /// The keywords, without duplicates, in rule order; never empty.
    public func keywords(for rules: [MatchingRule], text: String) -> [String] {
        var result: [String] = []
        for rule in rules {
            let keyword: String
            if let tag = rule.tag, !tag.isEmpty {
                keyword = namespace.keyword(fromTag: tag) ?? keywordsByRuleID[rule.id] ?? tag
            } else {
                keyword = keywordsByRuleID[rule.id] ?? "rule:\(rule.id)"
            }
            if !result.contains(keyword) { result.append(keyword) }
        }
        if result.isEmpty, let found = fallbackKeywords(inASCII: text) { return found }
        if result.isEmpty {
            // A byte search: Foundation's `contains` on String costs more than decoding the post.
            var lowered = text.lowercased()
            lowered.withUTF8 { haystack in
                for (keyword, needle) in zip(fallbackKeywords, fallbackNeedles) where Self.contains(haystack, needle) {
                    result.append(keyword)
                }
            }
        }
        return result.isEmpty ? unmatched : result
    }

    /// The keywords of a rule-less post whose text is ASCII, or nil for other text. Lowercasing
    /// ASCII only maps `A`…`Z`, so comparing with those folded finds what searching the
    /// lowercased text finds, without making that copy per post.
    private func fallbackKeywords(inASCII text: String) -> [String]? {
        var text = text
        return text.withUTF8 { haystack -> [String]? in
            guard haystack.allSatisfy({ $0 < 0x80 }) else { return nil }
            var found: [String] = []
            var single: Int?
            for (index, needle) in fallbackNeedles.enumerated() where Self.containsFoldingASCII(haystack, needle) {
                if found.isEmpty, single == nil {
                    single = index
                } else {
                    if let first = single { found.append(fallbackKeywords[first]); single = nil }
                    found.append(fallbackKeywords[index])
                }
            }
            if let single { return fallbackSingles[single] }
            return found.isEmpty ? unmatched : found
        }
    }

    /// Whether `needle` occurs in ASCII `haystack` with its letters lowercased.
    static func containsFoldingASCII(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        @inline(__always) func folded(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }
        return needle.withUnsafeBufferPointer { needle in
            let last = haystack.count - needle.count
            var start = 0
            while start <= last {
                if folded(haystack[start]) == first {
                    var offset = 1
                    while offset < needle.count, folded(haystack[start + offset]) == needle[offset] { offset += 1 }
                    if offset == needle.count { return true }
                }
                start += 1
            }
            return false
        }
    }

    /// Whether `needle` occurs in `haystack` (an empty needle never does, as with `String.contains`).
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count, let base = haystack.baseAddress else { return false }
        return needle.withUnsafeBytes { needleBytes in
            for start in 0...(haystack.count - needle.count) where base[start] == first {
                if memcmp(base + start, needleBytes.baseAddress!, needle.count) == 0 { return true }
            }
            return false
        }
    }

    private static func needles(_ keywords: [String]) -> [[UInt8]] {
        keywords.map { Array($0.lowercased().utf8) }
    }
}
