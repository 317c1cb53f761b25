/// A `RuleQuery` with its words replaced by `RuleVocabulary` ids and its operator
/// arguments as bytes: what `RuleMatcher` evaluates per post.
indirect enum CompiledQuery: Sendable {
    /// Consecutive tokens with these word ids (a keyword or a phrase).
    case sequence([Int32])
    /// A token with this word id carrying this marker (`TokenCode`).
    case marked(Int32, marker: Int32)
    /// `lang:` with the code as lower-case bytes.
    case lang([UInt8])
    /// `from:` with the username as lower-case bytes.
    case from([UInt8])
    /// `is:retweet`.
    case isRetweet
    /// `has:links`.
    case hasLinks
    /// `-clause`.
    case not(CompiledQuery)
    /// AND.
    case all([CompiledQuery])
    /// OR.
    case any([CompiledQuery])

    /// Compiles `query`, interning its words into `vocabulary`.
    init(_ query: RuleQuery, vocabulary: inout RuleVocabulary) {
        switch query {
        case .keyword(let words), .phrase(let words):
            self = .sequence(words.map { vocabulary.intern($0) })
        case .marked(let word, let marker):
            self = .marked(vocabulary.intern(word), marker: marker == "#" ? TokenCode.hashtag : TokenCode.mention)
        case .lang(let code): self = .lang(Array(code.utf8))
        case .from(let username): self = .from(Array(username.utf8))
        case .isRetweet: self = .isRetweet
        case .hasLinks: self = .hasLinks
        case .not(let inner): self = .not(CompiledQuery(inner, vocabulary: &vocabulary))
        case .all(let clauses): self = .all(clauses.map { CompiledQuery($0, vocabulary: &vocabulary) })
        case .any(let clauses): self = .any(clauses.map { CompiledQuery($0, vocabulary: &vocabulary) })
        }
    }

    /// Whether the post (its coded tokens and lazily computed facts) satisfies the query.
    func matches(_ tokens: UnsafeBufferPointer<Int32>, _ post: inout TokenizedFacts) -> Bool {
        switch self {
        case .sequence(let ids):
            return Self.contains(tokens, sequence: ids)
        case .marked(let id, let marker):
            let wanted = TokenCode.make(id: id, marker: marker)
            return tokens.contains(wanted)
        case .lang(let code):
            return TokenizedFacts.equalsFolded(post.lang, code)
        case .from(let username):
            return TokenizedFacts.equalsFolded(post.authorUsername, username)
        case .isRetweet:
            return post.isRetweet
        case .hasLinks:
            return post.hasLinks
        case .not(let inner):
            return !inner.matches(tokens, &post)
        case .all(let clauses):
            for clause in clauses where !clause.matches(tokens, &post) { return false }
            return true
        case .any(let clauses):
            for clause in clauses where clause.matches(tokens, &post) { return true }
            return false
        }
    }

    private static func contains(_ tokens: UnsafeBufferPointer<Int32>, sequence ids: [Int32]) -> Bool {
        guard let first = ids.first, tokens.count >= ids.count else { return false }
        let last = tokens.count - ids.count
        var start = 0
        while start <= last {
            if TokenCode.id(tokens[start]) == first {
                var offset = 1
                while offset < ids.count, TokenCode.id(tokens[start + offset]) == ids[offset] { offset += 1 }
                if offset == ids.count { return true }
            }
            start += 1
        }
        return false
    }
}

/// A post's token as one integer: the word id shifted left by two, the marker in the
/// low bits; -1 for a word no rule mentions (its id part, -1, equals no id).
enum TokenCode {
    static let plain: Int32 = 0
    static let hashtag: Int32 = 1
    static let mention: Int32 = 2
    static let unknown: Int32 = -1

    @inline(__always) static func make(id: Int32, marker: Int32) -> Int32 { id < 0 ? unknown : id << 2 | marker }
    @inline(__always) static func id(_ code: Int32) -> Int32 { code >> 2 }
    @inline(__always) static func marker(for byte: UInt8?) -> Int32 {
        switch byte {
        case UInt8(ascii: "#"): hashtag
        case UInt8(ascii: "@"): mention
        default: plain
        }
    }
}
