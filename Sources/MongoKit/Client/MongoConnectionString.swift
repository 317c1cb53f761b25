import CMongoc

/// A MongoDB connection string parsed by libmongoc (`mongoc_uri_t`): options are set
/// through its API, never by editing the text, and `redacted` shows it without the
/// password whatever characters that holds.
public final class MongoConnectionString: @unchecked Sendable {
    // Sendable invariant: `uri` is owned, only modified inside `init`, and libmongoc's
    // getters on a `mongoc_uri_t` nobody modifies are safe from any thread.
    let uri: OpaquePointer

    /// Parses `text`; throws ``MongoError/Kind/invalidArgument`` with libmongoc's reason,
    /// which callers must not print as is (it may quote parts of the URI). `options`
    /// are integer options (timeouts) set when the URI does not set them itself.
    public init(_ text: String, addingIfAbsent options: [(name: String, value: Int32)] = []) throws {
        _ = mongocInitialized
        var error = bson_error_t()
        guard let uri = mongoc_uri_new_with_error(text, &error) else {
            throw MongoError.invalidArgument("invalid MongoDB URI: \(error.messageString)")
        }
        self.uri = uri
        // libmongoc splits user info at the first `@`, so a password holding a raw `@`
        // leaves its tail in the host name (`mongodb://u:p@ss@h` → host `ss@h`), where a
        // message would show it. No host name holds `@`: refuse.
        guard !hosts.contains(where: { $0.contains("@") }) else {
            throw MongoError.invalidArgument("invalid MongoDB URI: a host name holds '@' (a password with an unescaped '@'?)")
        }
        for option in options where !mongoc_uri_has_option(uri, option.name) {
            guard mongoc_uri_set_option_as_int32(uri, option.name, option.value) else {
                throw MongoError.invalidArgument("cannot set \(option.name) on the MongoDB URI")
            }
        }
    }

    deinit { mongoc_uri_destroy(uri) }

    /// The database named in the path, if any.
    public var database: String? { mongoc_uri_get_database(uri).map { String(cString: $0) } }

    /// The user name, if the URI has user info.
    public var username: String? { mongoc_uri_get_username(uri).map { String(cString: $0) } }

    /// Whether the URI carries a password (never the password itself).
    public var hasPassword: Bool { mongoc_uri_get_password(uri) != nil }

    /// The value of integer option `name` (case-insensitive), if set.
    public func integerOption(_ name: String) -> Int32? {
        mongoc_uri_has_option(uri, name) ? mongoc_uri_get_option_as_int32(uri, name, 0) : nil
    }

    /// `host:port` of each seed host, or the SRV name for `mongodb+srv://`.
    public var hosts: [String] {
        if let srv = mongoc_uri_get_srv_hostname(uri) { return [String(cString: srv)] }
        var result: [String] = []
        var node = mongoc_uri_get_hosts(uri)
        while let host = node {
            result.append(withUnsafeBytes(of: host.pointee.host_and_port) { bytes in
                String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
            })
            node = UnsafePointer(host.pointee.next)
        }
        return result
    }

    /// The URI for messages, rebuilt from its parts: scheme, user name, `***` for the
    /// password, hosts and database. Options are left out: they are not needed to
    /// recognise a server, and some (`authMechanismProperties`) carry secrets.
    public var redacted: String {
        let scheme = mongoc_uri_get_srv_hostname(uri) != nil ? "mongodb+srv" : "mongodb"
        var text = scheme + "://"
        if let username {
            text += Self.percentEncoded(username) + (hasPassword ? ":***" : "") + "@"
        }
        text += hosts.joined(separator: ",")
        if let database, !database.isEmpty { text += "/" + Self.percentEncoded(database) }
        return text
    }

    /// What a message may show of a connection string libmongoc cannot parse: anything
    /// up to its last `@` may be user info (a password can hold `/`, `?` or `@`), so it
    /// becomes `***`; a string without `@` holds no user info and is shown as given.
    public static func redacting(unparsable text: String) -> String {
        guard let at = text.lastIndex(of: "@") else { return text }
        let scheme = text.range(of: "://").flatMap { $0.upperBound <= at ? text[..<$0.upperBound] : nil } ?? ""
        return scheme + "***" + text[at...]
    }

    private static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E, 0x2B, 0x3D, 0x21, 0x24, 0x2A:
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
