/// A rule value and the tag (keyword) its posts count under, as a run configures them
/// (`--keyword`, `--rule … --tag …`).
public struct TaggedRule: Sendable, Hashable {
    /// The rule text in X's syntax.
    public var value: String
    /// The keyword posts matching `value` count under.
    public var tag: String

    /// A rule `value` tagged `tag`.
    public init(value: String, tag: String) {
        self.value = value
        self.tag = tag
    }

    /// The rule a `--keyword` stands for, tagged with the keyword itself.
    ///
    /// A keyword with spaces becomes an exact phrase (its own quotes dropped, then the
    /// whole quoted), unless it is already one quoted phrase; `lang` is appended as
    /// `lang:xx`, which may not stand alone but may follow a term. `keyword` should
    /// come trimmed.
    public static func keyword(_ keyword: String, lang: String? = nil) -> TaggedRule {
        var value = keyword
        if value.contains(where: \.isWhitespace), !(value.count > 1 && value.hasPrefix("\"") && value.hasSuffix("\"")) {
            value = "\"" + value.filter { $0 != "\"" } + "\""
        }
        if let lang, !lang.isEmpty { value += " lang:\(lang)" }
        return TaggedRule(value: value, tag: keyword)
    }
}

/// A rule that does not parse, named for the user.
public struct InvalidRule: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rule.
    public var rule: TaggedRule
    /// Why the parser refused it.
    public var reason: RuleSyntaxError

    /// One line: the rule, its tag and the reason.
    public var description: String { "the rule \"\(rule.value)\" (tag \(rule.tag)) is invalid: \(reason)" }
}

extension RuleSyntaxError: Hashable {
    /// Hashes the description (the reason's text identifies it).
    public func hash(into hasher: inout Hasher) { hasher.combine(description) }
}
