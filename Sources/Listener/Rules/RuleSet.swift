import StreamRules

/// Builds and validates the rules a listener wants from its keywords and raw rules.
public enum RuleSet {
    /// The longest rule the pay-per-use tier accepts (Enterprise: 2,048).
    public static let defaultMaximumLength = 1024

    /// Turns keywords (`--keyword`) and raw rules (`--rule … --tag …`) into desired rules.
    ///
    /// A keyword with spaces becomes an exact phrase; `lang` is appended as `lang:xx`
    /// (which may not stand alone, but may follow a term): `TaggedRule.keyword`, the same
    /// form replay matches. Raw rules are sent as given. Keywords and tags must be
    /// `KeywordName`s. Throws `RuleValidationError` naming the first bad keyword or rule.
    public static func desiredRules(keywords: [String], rawRules: [(value: String, tag: String)],
                                    lang: String? = nil,
                                    maximumLength: Int = defaultMaximumLength) throws(RuleValidationError) -> [DesiredRule] {
        var rules: [DesiredRule] = []
        for keyword in keywords {
            let trimmed = keyword.trimmingWhitespace()
            guard !trimmed.isEmpty else { throw .emptyKeyword }
            if let problem = KeywordName.problem(trimmed) { throw .badName(what: "the --keyword \"\(trimmed)\"", problem: problem) }
            let value = TaggedRule.keyword(trimmed, lang: lang).value
            guard value.count <= maximumLength else {
                throw .tooLong(what: "keyword \"\(trimmed)\"", length: value.count, limit: maximumLength)
            }
            rules.append(DesiredRule(value: value, keyword: trimmed))
        }
        for raw in rawRules {
            let value = raw.value.trimmingWhitespace()
            let tag = raw.tag.trimmingWhitespace()
            guard !value.isEmpty else { throw .emptyRule(tag: tag) }
            guard !tag.isEmpty else { throw .missingTag(rule: value) }
            if let problem = KeywordName.problem(tag) { throw .badName(what: "the --tag \"\(tag)\"", problem: problem) }
            guard value.count <= maximumLength else {
                throw .tooLong(what: "rule \"\(value.prefix(60))…\" (tag \(tag))", length: value.count, limit: maximumLength)
            }
            rules.append(DesiredRule(value: value, keyword: tag))
        }
        guard !rules.isEmpty else { throw .noRules }
        // The server rejects two rules with the same value: keep the first.
        var seen = Set<String>()
        return rules.filter { seen.insert($0.value).inserted }
    }
}

/// A keyword or rule the server would reject, or none at all; names the culprit.
public struct RuleValidationError: Error, Hashable, CustomStringConvertible {
    /// One sentence for the user.
    public let description: String

    static let emptyKeyword = RuleValidationError(description: "a --keyword is empty")
    static let noRules = RuleValidationError(
        description: "no rules: give at least one --keyword or --rule (a stream without rules answers 409)")
    static func emptyRule(tag: String) -> RuleValidationError {
        RuleValidationError(description: "the --rule tagged \"\(tag)\" is empty")
    }
    static func missingTag(rule: String) -> RuleValidationError {
        RuleValidationError(description: "the --rule \"\(rule)\" needs a --tag (the keyword its posts count under)")
    }
    static func badName(what: String, problem: String) -> RuleValidationError {
        RuleValidationError(description: "\(what) \(problem); a keyword is 1 to \(KeywordName.maximumLength) printable characters")
    }
    static func tooLong(what: String, length: Int, limit: Int) -> RuleValidationError {
        RuleValidationError(description: "\(what) is \(length) characters long as a rule; the limit is \(limit)")
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while slice.first?.isWhitespace == true { slice.removeFirst() }
        while slice.last?.isWhitespace == true { slice.removeLast() }
        return String(slice)
    }
}
