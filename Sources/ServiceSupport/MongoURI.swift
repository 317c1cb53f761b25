import Foundation

/// A MongoDB connection string as the listener and pipeline use it: with short timeouts
/// added (unless the user set them), so an unreachable server makes an enqueue fail in
/// seconds — the hand-off then spills to disk — instead of hanging the flusher for
/// libmongoc's defaults (30 s selection, 5 min socket), and printable without its password.
public struct MongoURI: Sendable, Hashable {
    /// The connection string handed to the driver (timeouts added).
    public let value: String

    /// Timeouts added when the URI does not set them: long enough for a batch insert on a
    /// healthy server, short enough that a dead one is noticed at once.
    public static let fastFailureOptions: [(name: String, value: String)] = [
        ("serverSelectionTimeoutMS", "2000"),
        ("connectTimeoutMS", "2000"),
        ("socketTimeoutMS", "15000"),
    ]

    /// The URI as the user gave it, without user info: what messages show.
    public let redacted: String

    /// Adds the missing timeout options to `uri`.
    public init(_ uri: String) {
        redacted = Self.redact(uri)
        var text = uri
        let existing = text.split(separator: "?", maxSplits: 1).dropFirst().first.map { query in
            Set(query.split(separator: "&").compactMap { $0.split(separator: "=").first.map { $0.lowercased() } })
        } ?? []
        let missing = Self.fastFailureOptions.filter { !existing.contains($0.name.lowercased()) }
        if !missing.isEmpty {
            if !text.contains("?") {
                // Options need the `/` that ends the host list: `mongodb://h:1/?opt=…`.
                let afterScheme = text.range(of: "://").map { text[$0.upperBound...] } ?? text[...]
                text += afterScheme.contains("/") ? "?" : "/?"
            } else if !text.hasSuffix("?") && !text.hasSuffix("&") {
                text += "&"
            }
            text += missing.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        }
        value = text
    }

    /// Drops the user info of a connection string.
    public static func redact(_ uri: String) -> String {
        guard let scheme = uri.range(of: "://") else { return uri }
        let rest = uri[scheme.upperBound...]
        let hostsEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        guard let at = rest[..<hostsEnd].lastIndex(of: "@") else { return uri }
        return String(uri[..<scheme.upperBound]) + String(rest[rest.index(after: at)...])
    }
}
