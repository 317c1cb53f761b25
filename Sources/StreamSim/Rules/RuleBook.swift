import StreamRules

/// The stream's rule set with the API's add/delete semantics: the server side of rules
/// (the listener's `KeywordResolver` is the client side, turning a post's matches into
/// keywords). A value type so the feed can keep it inside its actor and tests can drive
/// it directly.
public struct RuleBook: Sendable {
    /// A rule the client asked to add.
    public struct Addition: Sendable, Equatable {
        /// Rule text.
        public var value: String
        /// Optional tag.
        public var tag: String?

        /// An addition request for `value` tagged `tag`.
        public init(value: String, tag: String? = nil) {
            self.value = value
            self.tag = tag
        }
    }

    /// Why one requested addition was not created.
    public enum Rejection: Sendable, Equatable {
        /// The value does not parse.
        case invalid(value: String, reason: RuleSyntaxError)
        /// An identical value already exists (under `id`).
        case duplicate(value: String, id: String)
        /// The rule limit would be exceeded.
        case limitReached(value: String, limit: Int)
    }

    /// What an add request did.
    public struct AddOutcome: Sendable, Equatable {
        /// Rules created (or that would be, for a dry run).
        public var created: [FilterRule] = []
        /// Additions not created, with the reason.
        public var rejected: [Rejection] = []
        /// Additions that parsed.
        public var valid = 0
        /// Additions that did not parse.
        public var invalid = 0
    }

    /// What a delete request did.
    public struct DeleteOutcome: Sendable, Equatable {
        /// Rules removed (or that would be, for a dry run).
        public var deleted: [FilterRule] = []
        /// Ids or values that matched no rule.
        public var notFound: [String] = []
    }

    /// Current rules, oldest first.
    public private(set) var rules: [FilterRule] = []
    /// Increases on every change so cached match results can be invalidated.
    public private(set) var generation = 0
    /// Parser enforcing the per-rule length limit.
    public var parser: RuleParser
    /// Maximum number of rules (1,000 on the pay-per-use tier).
    public var maxRules: Int
    private var nextID: UInt64

    /// An empty rule book; ids count up from `firstID` so runs are reproducible.
    public init(parser: RuleParser = RuleParser(), maxRules: Int = 1000,
                firstID: UInt64 = 1_860_000_000_000_000_001) {
        self.parser = parser
        self.maxRules = maxRules
        self.nextID = firstID
    }

    /// Adds rules. If any value is invalid nothing is created (the API validates the
    /// request as a whole); duplicates are reported and skipped. `dryRun` validates only.
    public mutating func add(_ additions: [Addition], dryRun: Bool) -> AddOutcome {
        var outcome = AddOutcome()
        var parsed: [(Addition, RuleQuery)] = []
        for addition in additions {
            do {
                parsed.append((addition, try parser.parse(addition.value)))
                outcome.valid += 1
            } catch {
                outcome.invalid += 1
                outcome.rejected.append(.invalid(value: addition.value, reason: error))
            }
        }
        guard outcome.invalid == 0 else { return outcome }
        var staged = rules
        var id = nextID
        for (addition, query) in parsed {
            if let existing = staged.first(where: { $0.value == addition.value }) {
                outcome.rejected.append(.duplicate(value: addition.value, id: existing.id))
                continue
            }
            guard staged.count < maxRules else {
                outcome.rejected.append(.limitReached(value: addition.value, limit: maxRules))
                continue
            }
            let rule = FilterRule(id: String(id), value: addition.value, tag: addition.tag, query: query)
            id += 1
            staged.append(rule)
            outcome.created.append(rule)
        }
        if !dryRun && !outcome.created.isEmpty {
            rules = staged
            nextID = id
            generation += 1
        }
        return outcome
    }

    /// Deletes the rules whose id is in `ids` or whose value is in `values`.
    public mutating func delete(ids: [String], values: [String], dryRun: Bool) -> DeleteOutcome {
        var outcome = DeleteOutcome()
        let idSet = Set(ids)
        let valueSet = Set(values)
        outcome.deleted = rules.filter { idSet.contains($0.id) || valueSet.contains($0.value) }
        outcome.notFound = ids.filter { id in !rules.contains { $0.id == id } }
            + values.filter { value in !rules.contains { $0.value == value } }
        if !dryRun && !outcome.deleted.isEmpty {
            rules.removeAll { idSet.contains($0.id) || valueSet.contains($0.value) }
            generation += 1
        }
        return outcome
    }

    /// The rules a post matches, in rule order.
    public func matches(_ post: PostFacts) -> [FilterRule] {
        rules.filter { $0.query.matches(post) }
    }
}
