import CMongoc
import Foundation

/// An error from MongoKit: what kind of failure, the server or driver code, the
/// message, and the server's error labels (used to decide on transaction retries).
public struct MongoError: Error, Sendable, CustomStringConvertible {
    /// The category of a failure; compare with the static members.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unreachable, duplicateKey, authenticationFailed, timeout, transient
            case commandFailed, connection, invalidArgument, decoding, closed
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No server could be selected within `serverSelectionTimeoutMS`.
        public static let unreachable = Kind(.unreachable)
        /// A write violated a unique index (code 11000).
        public static let duplicateKey = Kind(.duplicateKey)
        /// The credentials were refused.
        public static let authenticationFailed = Kind(.authenticationFailed)
        /// A socket or server-side time limit expired.
        public static let timeout = Kind(.timeout)
        /// A write conflict or another error labelled `TransientTransactionError`: retrying
        /// the transaction may succeed.
        public static let transient = Kind(.transient)
        /// The server rejected a command (see `code` and `message`).
        public static let commandFailed = Kind(.commandFailed)
        /// The connection failed after a server was selected.
        public static let connection = Kind(.connection)
        /// A caller-supplied value was invalid (URI, option, document).
        public static let invalidArgument = Kind(.invalidArgument)
        /// A result document did not decode into the requested type.
        public static let decoding = Kind(.decoding)
        /// The client or stream was already closed.
        public static let closed = Kind(.closed)

        public var description: String { base.rawValue }
    }

    /// The category.
    public let kind: Kind
    /// The server's error code, or libmongoc's code for driver-side failures.
    public let code: Int
    /// Human-readable explanation.
    public let message: String
    /// Server error labels such as `TransientTransactionError`.
    public let labels: [String]
    /// Per-document failures of a bulk write, when that is what failed.
    public let writeErrors: [WriteError]

    /// A new error.
    public init(kind: Kind, code: Int = 0, message: String, labels: [String] = [], writeErrors: [WriteError] = []) {
        self.kind = kind
        self.code = code
        self.message = message
        self.labels = labels
        self.writeErrors = writeErrors
    }

    /// True if the server attached `label`.
    public func hasLabel(_ label: String) -> Bool { labels.contains(label) }

    public var description: String {
        var text = "MongoDB \(kind): \(message)"
        if code != 0 { text += " (code \(code))" }
        if !labels.isEmpty { text += " [\(labels.joined(separator: ", "))]" }
        return text
    }

    static func invalidArgument(_ message: String) -> MongoError {
        MongoError(kind: .invalidArgument, message: message)
    }

    static func unsupportedBSONType(key: String, type: UInt32) -> MongoError {
        MongoError(kind: .decoding, message: "field \"\(key)\" has BSON type 0x\(String(type, radix: 16)), which MongoKit does not read")
    }

    static let closedError = MongoError(kind: .closed, message: "the client or stream is closed")

    /// Classifies a libmongoc error; `reply` (if any) supplies error labels.
    init(_ error: bson_error_t, reply: BSONDocument? = nil) {
        let message = error.messageString
        let code = Int(error.code)
        let labels = reply.map(Self.labels(in:)) ?? []
        let kind: Kind
        switch (error.domain, code) {
        case (MONGOC_ERROR_SERVER_SELECTION.rawValue, _):
            kind = message.contains("uthenticat") ? .authenticationFailed : .unreachable
        case (_, 11000), (_, 11001), (_, 12582):
            kind = .duplicateKey
        case (_, 18), (MONGOC_ERROR_CLIENT.rawValue, Int(MONGOC_ERROR_CLIENT_AUTHENTICATE.rawValue)):
            kind = .authenticationFailed
        case (_, 50), (_, 262):
            kind = .timeout
        case (MONGOC_ERROR_STREAM.rawValue, _) where message.contains("timeout") || message.contains("timed out"):
            kind = .timeout
        case (_, 112), (_, 251):
            kind = .transient
        case (MONGOC_ERROR_STREAM.rawValue, _):
            kind = .connection
        case (MONGOC_ERROR_BSON.rawValue, _), (MONGOC_ERROR_COMMAND.rawValue, Int(MONGOC_ERROR_COMMAND_INVALID_ARG.rawValue)):
            kind = .invalidArgument
        default:
            kind = labels.contains("TransientTransactionError") ? .transient : .commandFailed
        }
        self.init(kind: kind, code: code, message: message, labels: labels)
    }

    /// The `errorLabels` array of a server reply.
    static func labels(in reply: BSONDocument) -> [String] {
        guard case .array(let values)? = reply["errorLabels"] else { return [] }
        return values.compactMap(\.stringValue)
    }
}

/// One document of a bulk write that the server refused.
public struct WriteError: Sendable, Hashable, CustomStringConvertible {
    /// Position of the operation in the submitted batch.
    public let index: Int
    /// Server error code (11000 for a duplicate key).
    public let code: Int
    /// Server message.
    public let message: String

    /// True for a unique-index violation.
    public var isDuplicateKey: Bool { code == 11000 || code == 11001 || code == 12582 }

    public var description: String { "#\(index): \(message) (code \(code))" }
}
