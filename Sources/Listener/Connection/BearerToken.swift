import Foundation
import Logging

/// The app-only bearer token. It prints as `<redacted>` everywhere (logs, errors,
/// string interpolation, `dump`), so it cannot leak by accident; only the request
/// builder reads `secret`.
///
/// The secrets policy (docs/security.md): a token comes from `X_BEARER_TOKEN` or a file;
/// it never holds control characters (a CR/LF would add headers to every request); a
/// token file is mode 0600 or stricter (group/other-readable: a warning; writable by
/// them: refused, since whoever can write it can swap the account).
public struct BearerToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let secret: String

    /// Wraps a token; surrounding whitespace (a trailing newline in a file) is dropped.
    /// Nil when nothing is left or what is left holds a control character.
    public init?(_ token: String) {
        let trimmed = token.trimmingWhitespace()
        guard !trimmed.isEmpty, !Self.hasControlCharacters(trimmed) else { return nil }
        secret = trimmed
    }

    /// Reads the token from `X_BEARER_TOKEN` or, when `file` is given, from that file.
    /// Throws an error that names the source but never the token; warns on `logger`
    /// when the file is readable by group or others.
    public static func load(file: String?, environment: [String: String],
                            logger: Logger = Logger(label: "listener")) throws -> BearerToken {
        if let file {
            var status = stat()
            guard stat(file, &status) == 0 else {
                throw ListenerError.configuration("cannot read the bearer token file \(file): \(String(cString: strerror(errno)))")
            }
            let mode = status.st_mode & 0o777
            let octal = "0" + String(mode, radix: 8)
            if mode & 0o022 != 0 {
                throw ListenerError.configuration(
                    "the bearer token file \(file) is writable by group or others (mode \(octal)): chmod 600 \(file)")
            }
            if mode & 0o044 != 0 {
                logger.warning("the bearer token file \(file) is readable by group or others (mode \(octal)): chmod 600 \(file)")
            }
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw ListenerError.configuration("cannot read the bearer token file \(file)")
            }
            return try validated(text, source: "the bearer token file \(file)")
        }
        guard let value = environment["X_BEARER_TOKEN"], !value.trimmingWhitespace().isEmpty else {
            throw ListenerError.configuration("no bearer token: set X_BEARER_TOKEN or pass --bearer-token-file")
        }
        return try validated(value, source: "X_BEARER_TOKEN")
    }

    private static func validated(_ text: String, source: String) throws -> BearerToken {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw ListenerError.configuration("\(source) is empty") }
        guard !hasControlCharacters(trimmed) else {
            throw ListenerError.configuration(
                "\(source) holds a line break or another control character inside the token: it must be the token alone on one line")
        }
        return BearerToken(trimmed)!
    }

    /// CR, LF, NUL, ESC, DEL, C1 …: nothing a header value may carry.
    private static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// The warning to log when requests to `apiBase` would carry the token in clear
    /// text: plain `http://` to a host other than this machine. Nil otherwise.
    public static func clearTextWarning(apiBase: String) -> String? {
        guard let components = URLComponents(string: apiBase), components.scheme?.lowercased() == "http" else { return nil }
        let host = (components.host ?? "").lowercased()
        let loopback = host == "localhost" || host.hasSuffix(".localhost") || host.hasPrefix("127.")
            || host == "::1" || host == "[::1]"
        if loopback { return nil }
        return "--api-base \(components.scheme ?? "http")://\(host) is plain http: the bearer token crosses the network unencrypted"
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
