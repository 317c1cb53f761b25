/// A run's rules compiled for matching many posts: given a post's text, language and
/// author, the tags (keywords) of the rules it matches.
///
/// Rules sharing a tag count once: each distinct tag is one entry, matched when any of
/// its rules matches, so the result needs no de-duplication and comes in the order the
/// tags first appear. At most `keywordLimit` tags are returned per post; the rest are
/// counted in `Match.dropped` for the caller to report.
///
/// Matching agrees with `RuleQuery.matches` (the interpreter stream-sim uses), but runs
/// on word ids: the words the rules mention are interned once, and a post's tokens are
/// looked up by hash as it is tokenized. ASCII text is tokenized byte by byte; other
/// text goes through `PostTokens`.
public struct RuleMatcher: Sendable {
    /// The tags one post matched.
    public struct Match: Sendable, Hashable {
        /// Tags of matching rules, in the order the tags first appear in the rules, at most
        /// `keywordLimit` of them.
        public var keywords: [String]
        /// Matched tags left out because of `keywordLimit`.
        public var dropped: Int

        /// A match result.
        public init(keywords: [String], dropped: Int = 0) {
            self.keywords = keywords
            self.dropped = dropped
        }
    }

    /// The most keywords one post counts under, unless configured otherwise.
    public static let defaultKeywordLimit = 100

    /// The rules, as given.
    public let rules: [TaggedRule]
    /// The most keywords one post counts under.
    public let keywordLimit: Int
    private var vocabulary = RuleVocabulary()
    private var entries: [Entry] = []

    private struct Entry: Sendable {
        /// `[tag]`, shared by every post that matches only this entry (no array per post).
        let single: [String]
        var queries: [CompiledQuery]
        var tag: String { single[0] }
    }

    /// Compiles `rules`; the first one that does not parse is thrown.
    public init(rules: [TaggedRule], parser: RuleParser = RuleParser(),
                keywordLimit: Int = defaultKeywordLimit) throws(InvalidRule) {
        var queries: [RuleQuery] = []
        for rule in rules {
            do { queries.append(try parser.parse(rule.value)) } catch { throw InvalidRule(rule: rule, reason: error) }
        }
        self.init(parsed: Array(zip(rules, queries)), keywordLimit: keywordLimit)
    }

    /// Compiles the rules that parse and returns those that do not, for a caller whose
    /// rules were accepted elsewhere (a live stream's server) and must not stop it.
    public static func compilingValid(_ rules: [TaggedRule], parser: RuleParser = RuleParser(),
                                      keywordLimit: Int = defaultKeywordLimit) -> (RuleMatcher, [InvalidRule]) {
        var parsed: [(TaggedRule, RuleQuery)] = []
        var invalid: [InvalidRule] = []
        for rule in rules {
            do { parsed.append((rule, try parser.parse(rule.value))) } catch {
                invalid.append(InvalidRule(rule: rule, reason: error))
            }
        }
        return (RuleMatcher(parsed: parsed, keywordLimit: keywordLimit), invalid)
    }

    private init(parsed: [(TaggedRule, RuleQuery)], keywordLimit: Int) {
        self.rules = parsed.map(\.0)
        self.keywordLimit = max(0, keywordLimit)
        var entryOfTag: [String: Int] = [:]
        for (rule, query) in parsed {
            let compiled = CompiledQuery(query, vocabulary: &vocabulary)
            if let index = entryOfTag[rule.tag] {
                entries[index].queries.append(compiled)
            } else {
                entryOfTag[rule.tag] = entries.count
                entries.append(Entry(single: [rule.tag], queries: [compiled]))
            }
        }
    }

    /// Whether there is no rule at all (every post would match nothing).
    public var isEmpty: Bool { entries.isEmpty }

    /// The tags of the rules a post with this text, language and author matches.
    public func match(text: String, lang: String? = nil, authorUsername: String? = nil) -> Match {
        guard !entries.isEmpty else { return Match(keywords: []) }
        if let found = text.utf8.withContiguousStorageIfAvailable({ match(bytes: $0, text: text, lang: lang, authorUsername: authorUsername) }) {
            return found
        }
        return Array(text.utf8).withUnsafeBufferPointer { match(bytes: $0, text: text, lang: lang, authorUsername: authorUsername) }
    }

    private func match(bytes: UnsafeBufferPointer<UInt8>, text: String, lang: String?, authorUsername: String?) -> Match {
        var facts = TokenizedFacts(text: bytes, lang: lang, authorUsername: authorUsername)
        // A token takes at least one byte, so the byte count bounds the token count.
        let fast = withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(1, bytes.count)) { codes -> Match? in
            guard let count = codeASCII(bytes, into: codes) else { return nil }
            return evaluate(UnsafeBufferPointer(rebasing: codes[..<count]), &facts)
        }
        if let fast { return fast }
        let codes = codeUnicode(text)
        return codes.withUnsafeBufferPointer { evaluate($0, &facts) }
    }

    private func evaluate(_ codes: UnsafeBufferPointer<Int32>, _ facts: inout TokenizedFacts) -> Match {
        var matched = 0
        var first = -1
        var keywords: [String] = []
        var dropped = 0
        for index in entries.indices where Self.anyMatches(entries[index].queries, codes, &facts) {
            matched += 1
            if matched > keywordLimit {
                dropped += 1
            } else if matched == 1 {
                first = index
            } else {
                if matched == 2 { keywords.append(entries[first].tag) }
                keywords.append(entries[index].tag)
            }
        }
        if keywords.isEmpty, first >= 0 { return Match(keywords: entries[first].single, dropped: dropped) }
        return Match(keywords: keywords, dropped: dropped)
    }

    private static func anyMatches(_ queries: [CompiledQuery], _ codes: UnsafeBufferPointer<Int32>,
                                   _ facts: inout TokenizedFacts) -> Bool {
        for query in queries where query.matches(codes, &facts) { return true }
        return false
    }

    /// Codes the tokens of ASCII text into `codes`; nil at the first non-ASCII byte.
    private func codeASCII(_ bytes: UnsafeBufferPointer<UInt8>, into codes: UnsafeMutableBufferPointer<Int32>) -> Int? {
        var count = 0
        var index = 0
        let end = bytes.count
        while index < end {
            let byte = bytes[index]
            guard byte < 0x80 else { return nil }
            guard ASCIIWord.isWordByte(byte) else {
                index += 1
                continue
            }
            let start = index
            index += 1
            while index < end && ASCIIWord.isWordByte(bytes[index]) { index += 1 }
            let length = index - start
            var id = TokenCode.unknown
            // Most words of a post are in no rule: a first-byte and length filter
            // settles them without hashing.
            if vocabulary.mayContainASCII(first: ASCIIWord.folded(bytes[start]), length: length) {
                var hash = RuleVocabulary.seed
                for offset in start..<index { hash = RuleVocabulary.step(hash, ASCIIWord.folded(bytes[offset])) }
                id = vocabulary.id(hash: hash) { word in
                    guard word.count == length else { return false }
                    for offset in 0..<length where ASCIIWord.folded(bytes[start + offset]) != word[offset] { return false }
                    return true
                } ?? TokenCode.unknown
            }
            // Unknown words only break phrases: a run of them is kept as one.
            if id == TokenCode.unknown, count > 0, codes[count - 1] == TokenCode.unknown { continue }
            let marker = start > 0 ? TokenCode.marker(for: bytes[start - 1]) : TokenCode.plain
            codes[count] = TokenCode.make(id: id, marker: marker)
            count += 1
        }
        return count
    }

    /// Codes the tokens `PostTokens` finds in any text. Words are looked up as strings
    /// here: String equality is canonical equivalence (`é` precomposed or as `e` + accent
    /// are one word), as in `RuleQuery.matches`.
    private func codeUnicode(_ text: String) -> [Int32] {
        PostTokens(text).tokens.map { token in
            let id = vocabulary.id(canonical: token.text) ?? TokenCode.unknown
            return TokenCode.make(id: id, marker: TokenCode.marker(for: token.marker?.asciiValue))
        }
    }
}
