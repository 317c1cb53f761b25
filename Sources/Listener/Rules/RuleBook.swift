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
    /// ASCII only maps `A`…`Z`, so the text folded that way into a scratch buffer (on the
    /// stack for posts) finds what searching `lowercased()` finds, without a `String` per post.
    private func fallbackKeywords(inASCII text: String) -> [String]? {
        var text = text
        return text.withUTF8 { original -> [String]? in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, original.count)) { scratch -> [String]? in
                var union: UInt8 = 0
                for index in original.indices {
                    let byte = original[index]
                    union |= byte
                    scratch[index] = byte &- 0x41 < 26 ? byte | 0x20 : byte
                }
                guard union < 0x80 else { return nil }
                let haystack = UnsafeBufferPointer(rebasing: scratch[..<original.count])
                var found: [String] = []
                var single: Int?
                for (index, needle) in fallbackNeedles.enumerated() where Self.contains(haystack, needle) {
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
    }

    /// Whether `needle` occurs in `haystack` (an empty needle never does, as with `String.contains`).
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count, let base = haystack.baseAddress else { return false }
        return needle.withUnsafeBytes { needleBytes in
            // memchr finds candidates many bytes at a time; memcmp checks them.
            let last = haystack.count - needle.count
            var start = 0
            while start <= last, let hit = memchr(base + start, Int32(first), last - start + 1) {
                let position = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                if memcmp(base + position, needleBytes.baseAddress!, needle.count) == 0 { return true }
                start = position + 1
            }
            return false
        }
    }

    private static func needles(_ keywords: [String]) -> [[UInt8]] {
        keywords.map { Array($0.lowercased().utf8) }
    }
}
