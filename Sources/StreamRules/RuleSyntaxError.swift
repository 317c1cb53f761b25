/// Why a rule value was rejected; `description` is the text the API puts in
/// `errors[].details`.
public struct RuleSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Reason: Equatable {
        case empty
        case tooLong(limit: Int)
        case unbalancedParenthesis
        case unterminatedQuote
        case misplacedOr
        case danglingNegation
        case emptyGroup
        case noStandaloneClause
        case unsupportedOperator(String)
        case invalidLanguage(String)
        case invalidUsername(String)
        case unsupportedValue(operator: String, value: String)
        case noWordCharacters(String)
    }

    private let reason: Reason

    private init(_ reason: Reason) { self.reason = reason }

    /// The value is empty or only whitespace.
    public static let empty = RuleSyntaxError(.empty)
    /// Parentheses don't pair up.
    public static let unbalancedParenthesis = RuleSyntaxError(.unbalancedParenthesis)
    /// A `"` has no closing partner.
    public static let unterminatedQuote = RuleSyntaxError(.unterminatedQuote)
    /// `OR` at the start or end of a group, or twice in a row.
    public static let misplacedOr = RuleSyntaxError(.misplacedOr)
    /// A `-` not directly followed by a clause.
    public static let danglingNegation = RuleSyntaxError(.danglingNegation)
    /// `()`.
    public static let emptyGroup = RuleSyntaxError(.emptyGroup)
    /// Only negations and/or `lang:` — would match (almost) everything.
    public static let noStandaloneClause = RuleSyntaxError(.noStandaloneClause)

    /// The value is longer than the product's rule-length limit.
    public static func tooLong(limit: Int) -> RuleSyntaxError { .init(.tooLong(limit: limit)) }
    /// An X operator (`from:`, `has:`, …) the simulator does not implement.
    public static func unsupportedOperator(_ name: String) -> RuleSyntaxError { .init(.unsupportedOperator(name)) }
    /// `lang:` with a value that is not a language code.
    public static func invalidLanguage(_ value: String) -> RuleSyntaxError { .init(.invalidLanguage(value)) }
    /// `from:` with a value that is not a username.
    public static func invalidUsername(_ value: String) -> RuleSyntaxError { .init(.invalidUsername(value)) }
    /// `is:` or `has:` with a value the simulator does not implement (`is:reply`, `has:media`, …).
    public static func unsupportedValue(operator name: String, value: String) -> RuleSyntaxError {
        .init(.unsupportedValue(operator: name, value: value))
    }
    /// A keyword with nothing to match (only punctuation).
    public static func noWordCharacters(_ word: String) -> RuleSyntaxError { .init(.noWordCharacters(word)) }

    /// The API's `details` text for this error.
    public var description: String {
        switch reason {
        case .empty: "Rules must contain at least one keyword or operator."
        case .tooLong(let limit): "Rule length exceeds the maximum of \(limit) characters."
        case .unbalancedParenthesis: "There are mismatched parentheses in this rule."
        case .unterminatedQuote: "There is an unterminated quoted phrase in this rule."
        case .misplacedOr: "Ambiguous use of OR: it must stand between two clauses."
        case .danglingNegation: "A negation (-) must be directly followed by a clause."
        case .emptyGroup: "There is an empty group () in this rule."
        case .noStandaloneClause:
            "Rules must contain a non-negation term and at least one positive, standalone operator."
        case .unsupportedOperator(let name):
            "Reference to invalid operator '\(name):'. Operator is not available in stream-sim."
        case .invalidLanguage(let value): "Invalid language code '\(value)' in lang: operator."
        case .invalidUsername(let value): "Invalid username '\(value)' in from: operator."
        case .unsupportedValue(let name, let value):
            "Reference to invalid operator '\(name):\(value)'. Operator is not available in stream-sim."
        case .noWordCharacters(let word): "The term '\(word)' has no characters that can be matched."
        }
    }
}
