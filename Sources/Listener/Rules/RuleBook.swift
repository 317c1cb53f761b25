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
        didSet { fallbackNeedles = Self.needles(fallbackKeywords) }
    }
    /// `fallbackKeywords` lowercased as UTF-8, searched per post.
    private var fallbackNeedles: [[UInt8]]
    /// The keyword for a post nothing else places.
    public var unmatchedKeyword: String

    /// Creates a rule book.
    public init(keywordsByRuleID: [String: String] = [:], namespace: RuleNamespace = RuleNamespace(),
                fallbackKeywords: [String] = [], unmatchedKeyword: String = "unmatched") {
        self.keywordsByRuleID = keywordsByRuleID
        self.namespace = namespace
        self.fallbackKeywords = fallbackKeywords
        self.fallbackNeedles = Self.needles(fallbackKeywords)
        self.unmatchedKeyword = unmatchedKeyword
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
        if result.isEmpty {
            // A byte search: Foundation's `contains` on String costs more than decoding the post.
            var lowered = text.lowercased()
            lowered.withUTF8 { haystack in
                for (keyword, needle) in zip(fallbackKeywords, fallbackNeedles) where Self.contains(haystack, needle) {
                    result.append(keyword)
                }
            }
        }
        return result.isEmpty ? [unmatchedKeyword] : result
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
