import PipelineModel
import MongoKit

/// A MongoDB connection string as every service uses it: parsed by libmongoc, with short
/// timeouts added through its API (unless the user set them), so an unreachable server
/// makes an enqueue fail in seconds — the hand-off then spills to disk — instead of
/// hanging the flusher for libmongoc's defaults (30 s selection, 5 min socket); and
/// printable without its password.
public struct MongoURI: Sendable {
    /// The parsed connection string handed to the driver (timeouts added).
    public let connection: MongoConnectionString

    /// Timeouts added when the URI does not set them: long enough for a batch insert on a
    /// healthy server, short enough that a dead one is noticed at once.
    public static let fastFailureOptions: [(name: String, value: Int32)] = [
        ("serverSelectionTimeoutMS", 2000),
        ("connectTimeoutMS", 2000),
        ("socketTimeoutMS", 15000),
    ]

    /// The URI for messages: user name and `***` for the password, hosts, database.
    public var redacted: String { connection.redacted }

    /// Parses `uri` and adds the missing timeouts. A URI libmongoc refuses is a user error
    /// of one line that shows the URI without anything that could be its password.
    public init(_ uri: String) throws(CommandFailure) {
        do {
            connection = try MongoConnectionString(uri, addingIfAbsent: Self.fastFailureOptions)
        } catch {
            // libmongoc's own reason is left out: it can quote the user info.
            throw CommandFailure("--mongo \(Self.redact(uri)) is not a valid MongoDB URI "
                + "(percent-encode @ : / ? # [ ] % in the user name and password)")
        }
    }

    /// The URI without its password, parsable or not (`MongoConnectionString`).
    public static func redact(_ uri: String) -> String {
        (try? MongoConnectionString(uri))?.redacted ?? MongoConnectionString.redacting(unparsable: uri)
    }
}
