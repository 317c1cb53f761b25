/// A parsed filtered-stream rule: the subset of X's rule syntax both the simulator and
/// replay honour.
///
/// Space is AND, `OR` is OR (AND binds tighter), `-` negates, parentheses group,
/// `"…"` is an exact phrase, `#tag` and `@user` match hashtags and mentions,
/// `from:user` the author, `lang:xx` the post's language, `is:retweet` and `has:links`
/// what `PostFacts` says. Matching is case-insensitive.
///
/// `matches` is the plain interpreter, kept simple on purpose: stream-sim matches with
/// it, and `RuleMatcher` (the compiled form replay uses) is tested against it.
public indirect enum RuleQuery: Sendable, Equatable {
    /// A keyword: its tokens must occur consecutively (one token for a plain word).
    case keyword([Substring])
    /// An exact phrase in quotes: its tokens must occur consecutively.
    case phrase([Substring])
    /// `#word` or `@word`: a token carrying that marker.
    case marked(Substring, marker: Character)
    /// `lang:xx`: the post's `lang` field equals the code.
    case lang(String)
    /// `from:user`: the author's username (lower-cased, without `@`).
    case from(String)
    /// `is:retweet`.
    case isRetweet
    /// `has:links`.
    case hasLinks
    /// `-clause`.
    case not(RuleQuery)
    /// Clauses separated by spaces.
    case all([RuleQuery])
    /// Clauses separated by `OR`.
    case any([RuleQuery])

    /// Whether the post satisfies the rule.
    public func matches(_ post: PostFacts) -> Bool {
        switch self {
        case .keyword(let words), .phrase(let words):
            return post.tokens.contains(phrase: words)
        case .marked(let word, let marker):
            return post.tokens.contains(word: word, marker: marker)
        case .lang(let code):
            return post.lang?.lowercased() == code
        case .from(let username):
            return post.authorUsername?.lowercased() == username
        case .isRetweet:
            return post.isRetweet
        case .hasLinks:
            return post.hasLinks
        case .not(let inner):
            return !inner.matches(post)
        case .all(let clauses):
            return clauses.allSatisfy { $0.matches(post) }
        case .any(let clauses):
            return clauses.contains { $0.matches(post) }
        }
    }

    /// Whether every way of satisfying the rule needs a positive, standalone clause.
    ///
    /// X rejects rules made only of negations or of operators that cannot stand alone
    /// (`lang:`, `is:`, `has:`), since they would match nearly everything.
    var hasStandaloneClause: Bool {
        switch self {
        case .keyword, .phrase, .marked, .from: true
        case .lang, .isRetweet, .hasLinks, .not: false
        case .all(let clauses): clauses.contains { $0.hasStandaloneClause }
        case .any(let clauses): clauses.allSatisfy { $0.hasStandaloneClause }
        }
    }
}
