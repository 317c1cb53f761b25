/// A filtered-stream rule as the server lists it.
public struct StreamRule: Sendable, Hashable, Codable {
    /// Server-assigned id.
    public var id: String
    /// The rule text.
    public var value: String
    /// Optional tag; rules created by other tools may have none.
    public var tag: String?

    /// Creates a rule.
    public init(id: String, value: String, tag: String? = nil) {
        self.id = id
        self.value = value
        self.tag = tag
    }
}

/// A rule this listener wants on the server: its text and the keyword it stands for.
public struct DesiredRule: Sendable, Hashable {
    /// The rule text sent to the server.
    public var value: String
    /// The keyword posts matching this rule are counted under.
    public var keyword: String

    /// Creates a desired rule.
    public init(value: String, keyword: String) {
        self.value = value
        self.keyword = keyword
    }
}
