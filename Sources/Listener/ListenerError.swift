/// Errors the listener reports to its user: each is one sentence, never containing the
/// bearer token.
public struct ListenerError: Error, Hashable, CustomStringConvertible {
    private enum Kind: Hashable { case configuration, fatal, rules }
    private let kind: Kind
    /// The sentence.
    public let description: String

    /// Bad flags, unreadable files, missing token.
    public static func configuration(_ message: String) -> ListenerError { ListenerError(kind: .configuration, description: message) }
    /// The server refused in a way retrying cannot fix (401, 403, 409 …).
    public static func fatal(_ message: String) -> ListenerError { ListenerError(kind: .fatal, description: message) }
    /// Rules sync failed.
    public static func rules(_ message: String) -> ListenerError { ListenerError(kind: .rules, description: message) }
}
