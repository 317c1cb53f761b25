import Foundation

/// The app-only bearer token. It prints as `<redacted>` everywhere (logs, errors,
/// string interpolation, `dump`), so it cannot leak by accident; only the request
/// builder reads `secret`.
public struct BearerToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let secret: String

    /// Wraps a token; surrounding whitespace (a trailing newline in a file) is dropped.
    public init?(_ token: String) {
        let trimmed = token.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        secret = trimmed
    }

    /// Reads the token from `X_BEARER_TOKEN` or, when `file` is given, from that file.
    /// Throws an error that names the source but never the token.
    public static func load(file: String?, environment: [String: String]) throws -> BearerToken {
        if let file {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw ListenerError.configuration("cannot read the bearer token file \(file)")
            }
            guard let token = BearerToken(text) else { throw ListenerError.configuration("the bearer token file \(file) is empty") }
            return token
        }
        guard let value = environment["X_BEARER_TOKEN"], let token = BearerToken(value) else {
            throw ListenerError.configuration("no bearer token: set X_BEARER_TOKEN or pass --bearer-token-file")
        }
        return token
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
