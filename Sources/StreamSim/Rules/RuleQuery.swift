/// A parsed filtered-stream rule: the subset of X's rule syntax the simulator honours.
///
/// Space is AND, `OR` is OR (AND binds tighter), `-` negates, parentheses group,
/// `"…"` is an exact phrase, `#tag` and `@user` match hashtags and mentions, and
/// `lang:xx` matches the post's language. Matching is case-insensitive.
public indirect enum RuleQuery: Sendable, Equatable {
    /// A keyword: its tokens must occur consecutively (one token for a plain word).
    case keyword([Substring])
    /// An exact phrase in quotes: its tokens must occur consecutively.
    case phrase([Substring])
    /// `#word` or `@word`: a token carrying that marker.
    case marked(Substring, marker: Character)
    /// `lang:xx`: the post's `lang` field equals the code.
    case lang(String)
    /// `-clause`.
    case not(RuleQuery)
    /// Clauses separated by spaces.
    case all([RuleQuery])
    /// Clauses separated by `OR`.
    case any([RuleQuery])

    /// Whether a post with these tokens and language satisfies the rule.
    public func matches(_ tokens: PostTokens, lang: String?) -> Bool {
        switch self {
        case .keyword(let words), .phrase(let words):
            return tokens.contains(phrase: words)
        case .marked(let word, let marker):
            return tokens.contains(word: word, marker: marker)
        case .lang(let code):
            return lang?.lowercased() == code
        case .not(let inner):
            return !inner.matches(tokens, lang: lang)
        case .all(let clauses):
            return clauses.allSatisfy { $0.matches(tokens, lang: lang) }
        case .any(let clauses):
            return clauses.contains { $0.matches(tokens, lang: lang) }
        }
    }

    /// Whether every way of satisfying the rule needs a positive, standalone clause.
    ///
    /// X rejects rules made only of negations or of operators that cannot stand alone
    /// (`lang:`), since they would match nearly everything.
    var hasStandaloneClause: Bool {
        switch self {
        case .keyword, .phrase, .marked: true
        case .lang, .not: false
        case .all(let clauses): clauses.contains { $0.hasStandaloneClause }
        case .any(let clauses): clauses.allSatisfy { $0.hasStandaloneClause }
        }
    }
}
