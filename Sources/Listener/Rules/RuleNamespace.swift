/// Marks the rules one listener owns: their tag is `<prefix>:<keyword>`. Rules without
/// the prefix belong to someone else (another tool, a colleague's listener) and are
/// never deleted.
public struct RuleNamespace: Sendable, Hashable {
    /// The prefix before the colon.
    public var prefix: String

    /// Creates a namespace; the default is the project's listener.
    public init(prefix: String = "sentiment-listener") {
        self.prefix = prefix
    }

    /// The tag for a keyword.
    public func tag(for keyword: String) -> String { "\(prefix):\(keyword)" }

    /// The keyword of an owned tag, nil for a tag this namespace does not own.
    public func keyword(fromTag tag: String) -> String? {
        // Compared in place: this runs for every rule of every post.
        let tagBytes = tag.utf8
        let prefixBytes = prefix.utf8
        guard tagBytes.count > prefixBytes.count, tagBytes.starts(with: prefixBytes) else { return nil }
        let colon = tagBytes.index(tagBytes.startIndex, offsetBy: prefixBytes.count)
        guard tagBytes[colon] == UInt8(ascii: ":") else { return nil }
        return String(tag[tagBytes.index(after: colon)...])
    }

    /// True for rules this listener created.
    public func owns(_ rule: StreamRule) -> Bool {
        rule.tag.map { keyword(fromTag: $0) != nil } ?? false
    }
}
