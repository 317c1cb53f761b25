/// What to change on the server so that its rules match what this listener wants:
/// delete stale rules it owns, add missing ones. Rules owned by others are untouched.
public struct RulesPlan: Sendable, Hashable {
    /// Ids of owned rules that are no longer wanted (or whose value or tag changed).
    public var deletes: [String]
    /// Rules to add, with their tags.
    public var adds: [StreamRule]
    /// Wanted rules already on the server under another owner's tag (the server refuses
    /// a duplicate value), mapped to our keyword so their posts still count.
    public var adopted: [String: String]

    /// True when the server already matches.
    public var isEmpty: Bool { deletes.isEmpty && adds.isEmpty }

    /// Computes the plan from the server's current rules.
    public init(current: [StreamRule], desired: [DesiredRule], namespace: RuleNamespace) {
        var wanted: [String: String] = [:]  // value → tag
        for rule in desired { wanted[rule.value] = namespace.tag(for: rule.keyword) }
        var deletes: [String] = []
        var kept = Set<String>()
        var adopted: [String: String] = [:]
        for rule in current {
            if namespace.owns(rule) {
                if let tag = wanted[rule.value], tag == rule.tag, !kept.contains(rule.value) {
                    kept.insert(rule.value)
                } else {
                    deletes.append(rule.id)
                }
            } else if let tag = wanted[rule.value], !kept.contains(rule.value) {
                kept.insert(rule.value)
                adopted[rule.id] = namespace.keyword(fromTag: tag)
            }
        }
        self.deletes = deletes
        self.adds = desired.filter { !kept.contains($0.value) }
            .map { StreamRule(id: "", value: $0.value, tag: namespace.tag(for: $0.keyword)) }
        self.adopted = adopted
    }
}
