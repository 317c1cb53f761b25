import StreamRules

/// One rule of the stream, as stored server-side: the id the server assigned, the value
/// as sent, the optional tag, and the parsed query used for matching.
public struct FilterRule: Sendable, Equatable {
    /// Server-assigned id (a decimal string, like the API's).
    public var id: String
    /// The rule text as the client sent it.
    public var value: String
    /// The client's label for the rule; optional in the API.
    public var tag: String?
    /// The parsed form of `value`.
    public var query: RuleQuery

    /// A rule with an already-parsed query.
    public init(id: String, value: String, tag: String?, query: RuleQuery) {
        self.id = id
        self.value = value
        self.tag = tag
        self.query = query
    }
}
