import StreamRules

/// Decides which keywords a post counts under (the client side of rules; stream-sim's
/// `RuleBook` is the server side: the stored rule set with the API's add/delete semantics).
///
/// Two sources, tried in an order the mode sets:
/// - the post's `matching_rules` (what the server matched): a tag in this listener's
///   namespace gives the keyword directly, a foreign tag is used as is, a rule without a
///   tag is looked up by id in the synced rules (the API does not promise `tag`), else it
///   counts as `rule:<id>`;
/// - the run's own rules (`--keyword`, `--rule … --tag …`) evaluated on the post by
///   `RuleMatcher`, exactly as the filtered stream would.
///
/// Live, the server's match comes first (the own rules only place a post that arrives
/// without `matching_rules`). In a replay (`ownRulesFirst`) the own rules decide and the
/// archived `matching_rules` — another run's rules — are used only when the run gives
/// none. Either way a post gets each keyword once, at most `keywordLimit` of them, and
/// only names `KeywordName` accepts (a bad tag falls back to `rule:<id>`).
public struct KeywordResolver: Sendable {
    /// Where a post's keywords came from, or why it has none.
    public struct Resolution: Sendable, Hashable {
        /// The keywords, each once, in rule order; empty when the post matched no rule.
        public var keywords: [String]
        /// Keywords beyond `keywordLimit`, left out.
        public var dropped = 0
        /// The post carries no `matching_rules` and the run has no rules of its own:
        /// there is nothing to place it by.
        public var lacksRules = false
    }

    /// The keyword of each known rule id.
    public var keywordsByRuleID: [String: String]
    /// Whose tags carry a keyword after the prefix.
    public var namespace: RuleNamespace
    /// The run's own rules, compiled; nil when it gave none.
    public var ownRules: RuleMatcher?
    /// Whether the own rules decide even for posts that carry `matching_rules` (replay).
    public var ownRulesFirst: Bool
    /// The most keywords one post counts under.
    public var keywordLimit: Int

    /// Creates a resolver.
    public init(keywordsByRuleID: [String: String] = [:], namespace: RuleNamespace = RuleNamespace(),
                ownRules: RuleMatcher? = nil, ownRulesFirst: Bool = false,
                keywordLimit: Int = RuleMatcher.defaultKeywordLimit) {
        self.keywordsByRuleID = keywordsByRuleID
        self.namespace = namespace
        self.ownRules = ownRules.flatMap { $0.isEmpty ? nil : $0 }
        self.ownRulesFirst = ownRulesFirst
        self.keywordLimit = keywordLimit
    }

    /// Builds the resolver from the server's rules after a sync, plus adopted rules.
    public init(serverRules: [StreamRule], adopted: [String: String] = [:], namespace: RuleNamespace,
                ownRules: RuleMatcher? = nil) {
        var map: [String: String] = [:]
        for rule in serverRules {
            if let tag = rule.tag {
                map[rule.id] = namespace.keyword(fromTag: tag) ?? tag
            }
        }
        map.merge(adopted) { _, new in new }
        self.init(keywordsByRuleID: map, namespace: namespace, ownRules: ownRules)
    }

    /// The resolver of a replay: the run's own rules when it has any, else the archive's.
    public static func replay(ownRules: RuleMatcher?, namespace: RuleNamespace = RuleNamespace()) -> KeywordResolver {
        KeywordResolver(namespace: namespace, ownRules: ownRules, ownRulesFirst: true)
    }

    /// The keywords of a post with this text, language, author and `matching_rules`.
    public func resolve(text: String, lang: String?, authorUsername: String?, matchingRules: [MatchingRule]) -> Resolution {
        if let ownRules, ownRulesFirst || matchingRules.isEmpty {
            let match = ownRules.match(text: text, lang: lang, authorUsername: authorUsername)
            return Resolution(keywords: match.keywords, dropped: match.dropped)
        }
        guard !matchingRules.isEmpty else { return Resolution(keywords: [], lacksRules: true) }
        return keywords(for: matchingRules)
    }

    /// The keywords of a post's `matching_rules`: each once, in rule order, at most
    /// `keywordLimit`; linear in the number of rules.
    public func keywords(for rules: [MatchingRule]) -> Resolution {
        if rules.count == 1 {
            return Resolution(keywords: keyword(of: rules[0]).map { [$0] } ?? [])
        }
        var result: [String] = []
        var seen = Set<String>()
        var dropped = 0
        for rule in rules {
            guard let keyword = keyword(of: rule), seen.insert(keyword).inserted else { continue }
            if result.count < keywordLimit { result.append(keyword) } else { dropped += 1 }
        }
        return Resolution(keywords: result, dropped: dropped)
    }

    /// The keyword one rule stands for; nil when neither its tag nor its id makes a
    /// keyword name.
    private func keyword(of rule: MatchingRule) -> String? {
        let keyword: String
        if let tag = rule.tag, !tag.isEmpty {
            keyword = namespace.keyword(fromTag: tag) ?? keywordsByRuleID[rule.id] ?? tag
        } else {
            keyword = keywordsByRuleID[rule.id] ?? "rule:\(rule.id)"
        }
        if KeywordName.isValid(keyword) { return keyword }
        let fallback = "rule:\(rule.id)"
        return KeywordName.isValid(fallback) ? fallback : nil
    }
}
