import Wiring
import MongoKit

/// MongoDB connection strings as every service reads `--mongo`: `MongoURI` (libmongoc's
/// parser plus the added timeouts) and the redaction used in messages. Invariants: a URI
/// that starts with the seed's user info never shows its password, parsable or not, and
/// a parsed URI with a password shows `***`.
public struct MongoURIHarness: FuzzHarness {
    public let name = "mongo-uri"
    static let password = "pw9Zq7S3cret"
    public let seeds: [[UInt8]] = [
        "mongodb://user:\(password)@db.example:27017/sentiment?replicaSet=rs0&authSource=admin",
        "mongodb://user:\(password)@h1,h2:27018,[::1]:27019/db?serverSelectionTimeoutMS=100&tls=true",
        "mongodb://user:\(password)@%2Ftmp%2Fmongodb-27017.sock/db",
        "mongodb://localhost", "mongodb://127.0.0.1:27017/?directConnection=true",
    ].map { Array($0.utf8) }

    public let maxLength = 4096

    /// A harness.
    public init() {}

    public mutating func check(_ input: [UInt8]) async throws {
        let text = String(decoding: input, as: UTF8.self)
        let prefix = "mongodb://user:\(Self.password)@"
        // The password may be spliced into the hosts or path too; those copies may show.
        let allowed = text.hasPrefix(prefix) ? Self.occurrences(in: String(text.dropFirst(prefix.count))) : nil
        let message: String
        switch Result(catching: { () throws(CommandFailure) in try MongoURI(text) }) {
        case .success(let uri):
            message = uri.redacted
            if uri.connection.hasPassword, uri.connection.username != nil {
                try invariant(message.contains(":***@"), "a URI with a password is shown without ***: \(message)")
            }
        case .failure(let failure):
            message = failure.description
        }
        let redacted = MongoURI.redact(text)
        if let allowed {
            try invariant(Self.occurrences(in: message) <= allowed, "the password is shown: \(message)")
            try invariant(Self.occurrences(in: redacted) <= allowed, "the password is shown: \(redacted)")
        }
    }

    private static func occurrences(in text: String) -> Int {
        text.components(separatedBy: password).count - 1
    }
}
