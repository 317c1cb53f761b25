import Foundation

/// One decoded line of the stream (or of a JSONL file in one of the forms replay reads).
///
/// Decoding is tolerant by design: fields may come in any order, unknown fields are
/// ignored, and a well-formed JSON object of a shape this client does not know is
/// `.unrecognized` rather than an error, because X adds message types without notice.
public enum StreamMessage: Sendable, Hashable {
    /// One post: the common stream message (`data` object), or a flattened post object.
    case post(StreamPost)
    /// Several posts: a twarc2-style page (`data` array).
    case posts([StreamPost])
    /// An in-stream error message (`{"errors":[…]}` without `data`).
    case errors([StreamError])
    /// Valid JSON object of an unknown shape; counted and skipped.
    case unrecognized

    /// True when an error in this message announces that the server closes the stream.
    public var isOperationalDisconnect: Bool {
        if case .errors(let errors) = self { return errors.contains(where: \.isOperationalDisconnect) }
        return false
    }

    /// Decodes one line (without terminator), borrowed where it lies: the one decode
    /// entry point of the listener, live and replay. The common message is read by the
    /// byte scanner (`StreamMessageScanner`); every other shape, and anything the scanner
    /// does not take exactly, by Foundation's parser (`JSONObjectMessage`), so the result
    /// is always what Foundation's reading gives. Throws `MalformedMessage` when the line
    /// is not a JSON object or a post lacks its id.
    public static func decode(_ line: UnsafeRawBufferPointer) throws(MalformedMessage) -> StreamMessage {
        if let post = StreamMessageScanner.post(in: line) { return .post(post) }
        return try JSONObjectMessage.message(from: line)
    }

    /// `decode(_:)` of a line held in an array.
    public static func decode(_ line: [UInt8]) throws(MalformedMessage) -> StreamMessage {
        try line.withUnsafeBufferPointer { buffer throws(MalformedMessage) in try decode(UnsafeRawBufferPointer(buffer)) }
    }
}

/// A line that could not be decoded; counted as malformed by the caller.
public struct MalformedMessage: Error, Hashable, CustomStringConvertible {
    /// Why, without echoing the line (it may be huge).
    public var reason: String
    public var description: String { "malformed message: \(reason)" }
}
