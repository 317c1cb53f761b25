import ArgumentParser
import Foundation
import Listener
import StreamRules

/// What to follow, in X's rule language: the flags every source shares (the live stream
/// syncs them as server rules; a replay evaluates them on each archived post).
public struct RuleOptions: ParsableArguments, Sendable {
    /// `--keyword` (repeatable).
    @Option(name: .customLong("keyword"), help: "A keyword to follow (repeatable).")
    public var keywords: [String] = []
    /// `--rule` (repeatable), paired in order with `--tag`.
    @Option(name: .customLong("rule"), help: "A raw rule (repeatable); each needs a --tag, paired in order.")
    public var rules: [String] = []
    /// `--tag` (repeatable).
    @Option(name: .customLong("tag"), help: "The keyword a --rule's posts count under.")
    public var tags: [String] = []
    /// `--lang`.
    @Option(help: "Only posts in this language (adds lang:xx to keyword rules).")
    public var lang: String?
    /// `--rules-namespace`.
    @Option(name: .customLong("rules-namespace"), help: "Tag prefix marking the rules this listener owns.")
    public var rulesNamespace = "sentiment-listener"

    /// Creates the defaults (for ArgumentParser).
    public init() {}

    /// True when neither `--keyword` nor `--rule` was given.
    public var isEmpty: Bool { keywords.isEmpty && rules.isEmpty }

    /// Checks that every `--rule` has its `--tag`; a problem is one line.
    public func check() throws {
        if rules.count != tags.count {
            throw CommandFailure("every --rule needs its own --tag (\(rules.count) rules, \(tags.count) tags)")
        }
    }

    /// The rules to keep on the server (a keyword or rule that is not valid is one line).
    public func desiredRules() throws -> [DesiredRule] {
        try RuleSet.desiredRules(keywords: keywords, rawRules: Array(zip(rules, tags)).map { ($0, $1) }, lang: lang)
    }

    /// The owner tag prefix of our rules.
    public var namespace: RuleNamespace { RuleNamespace(prefix: rulesNamespace) }

    /// The run's own rules compiled for a replay (nil when none are given); a keyword or
    /// rule that is not valid is one line naming it.
    func replayMatcher() throws -> RuleMatcher? {
        guard !isEmpty else { return nil }
        let desired = try desiredRules()
        do {
            return try RuleMatcher(rules: desired.map { TaggedRule(value: $0.value, tag: $0.keyword) })
        } catch {
            throw CommandFailure(error.description)
        }
    }
}
