/// Parses filtered-stream rule values into a `RuleQuery`, rejecting what X rejects.
public struct RuleParser: Sendable {
    /// Operators X knows but the simulator does not implement: rejected with a clear
    /// error instead of being silently matched as keywords.
    static let unsupportedOperators: Set<String> = [
        "to", "url", "retweets_of", "context", "entity", "conversation_id",
        "bio", "bio_name", "bio_location", "place", "place_country", "point_radius",
        "bounding_box", "sample", "followers_count", "tweets_count",
        "following_count", "listed_count", "url_title", "url_description", "in_reply_to_tweet_id",
        "retweets_of_tweet_id", "source",
    ]

    /// The longest value accepted, in characters (1,024 on the pay-per-use tier).
    public var maxLength: Int

    /// A parser enforcing `maxLength`.
    public init(maxLength: Int = 1024) {
        self.maxLength = maxLength
    }

    /// Parses and validates `value`.
    public func parse(_ value: String) throws(RuleSyntaxError) -> RuleQuery {
        guard value.count <= maxLength else { throw .tooLong(limit: maxLength) }
        var lexer = RuleLexer(value)
        let lexemes = try lexer.lexemes()
        guard !lexemes.isEmpty else { throw .empty }
        var cursor = Cursor(lexemes: lexemes)
        let query = try cursor.parseOr()
        if cursor.peek != nil { throw .unbalancedParenthesis }
        guard query.hasStandaloneClause else { throw .noStandaloneClause }
        return query
    }

    private struct Cursor {
        let lexemes: [RuleLexer.Lexeme]
        var position = 0

        var peek: RuleLexer.Lexeme? { position < lexemes.count ? lexemes[position] : nil }

        mutating func parseOr() throws(RuleSyntaxError) -> RuleQuery {
            var clauses = [try parseAnd()]
            while peek == .or {
                position += 1
                clauses.append(try parseAnd())
            }
            return clauses.count == 1 ? clauses[0] : .any(clauses)
        }

        mutating func parseAnd() throws(RuleSyntaxError) -> RuleQuery {
            var clauses: [RuleQuery] = []
            while let next = peek, next != .or, next != .close {
                clauses.append(try parseUnary())
            }
            switch clauses.count {
            case 0:
                if peek == .close { throw position > 0 && lexemes[position - 1] == .open ? .emptyGroup : .unbalancedParenthesis }
                throw .misplacedOr
            case 1: return clauses[0]
            default: return .all(clauses)
            }
        }

        mutating func parseUnary() throws(RuleSyntaxError) -> RuleQuery {
            guard peek == .minus else { return try parsePrimary() }
            position += 1
            switch peek {
            case nil, .or, .close, .minus: throw .danglingNegation
            default: return .not(try parsePrimary())
            }
        }

        mutating func parsePrimary() throws(RuleSyntaxError) -> RuleQuery {
            guard let lexeme = peek else { throw .danglingNegation }
            position += 1
            switch lexeme {
            case .open:
                let inner = try parseOr()
                guard peek == .close else { throw .unbalancedParenthesis }
                position += 1
                return inner
            case .quoted(let text):
                let words = PostTokens(text).words
                guard !words.isEmpty else { throw .noWordCharacters("\"\(text)\"") }
                return .phrase(words)
            case .word(let word):
                return try Self.clause(forWord: word)
            case .close, .or, .minus:
                throw .misplacedOr
            }
        }

        static func clause(forWord word: String) throws(RuleSyntaxError) -> RuleQuery {
            if let first = word.first, first == "#" || first == "@", word.count > 1 {
                let words = PostTokens(String(word.dropFirst())).words
                guard words.count == 1 else { throw .noWordCharacters(word) }
                return .marked(words[0], marker: first)
            }
            if let colon = word.firstIndex(of: ":"), colon != word.startIndex {
                let name = word[..<colon].lowercased()
                let argument = word[word.index(after: colon)...].lowercased()
                switch name {
                case "lang":
                    guard Self.isLanguageCode(argument) else { throw .invalidLanguage(argument) }
                    return .lang(argument)
                case "from":
                    let username = argument.hasPrefix("@") ? String(argument.dropFirst()) : argument
                    guard Self.isUsername(username) else { throw .invalidUsername(argument) }
                    return .from(username)
                case "is":
                    guard argument == "retweet" else { throw .unsupportedValue(operator: name, value: argument) }
                    return .isRetweet
                case "has":
                    guard argument == "links" else { throw .unsupportedValue(operator: name, value: argument) }
                    return .hasLinks
                default:
                    break
                }
                if RuleParser.unsupportedOperators.contains(name) { throw .unsupportedOperator(name) }
            }
            let words = PostTokens(word).words
            guard !words.isEmpty else { throw .noWordCharacters(word) }
            return .keyword(words)
        }

        /// X handles: letters, digits and `_`; 50 rather than X's 15, for old long handles.
        static func isUsername(_ name: String) -> Bool {
            (1...50).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
                byte == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            }
        }

        static func isLanguageCode(_ code: String) -> Bool {
            let parts = code.split(separator: "-", omittingEmptySubsequences: false)
            guard let primary = parts.first, (2...3).contains(primary.count),
                  primary.allSatisfy({ $0.isASCII && $0.isLetter }), parts.count <= 2 else { return false }
            return parts.dropFirst().allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
        }
    }
}
