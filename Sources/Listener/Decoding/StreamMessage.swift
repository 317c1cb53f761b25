import Foundation

/// One decoded line of the stream (or of a JSONL file in one of the forms replay reads).
///
/// Decoding is tolerant by design: fields may come in any order, unknown fields are
/// ignored, and a well-formed JSON object of a shape this client does not know is
/// `.unrecognized` rather than an error, because X adds message types without notice.
public enum StreamMessage: Sendable, Hashable {
    /// Posts: one for a stream message, several for a twarc2-style page (`data` array).
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

    /// Decodes one line (without terminator). Throws `MalformedMessage` when the line is
    /// not a JSON object or a post lacks its id.
    public static func decode(_ line: [UInt8]) throws(MalformedMessage) -> StreamMessage {
        try line.withUnsafeBufferPointer { buffer throws(MalformedMessage) in
            try decode(UnsafeRawBufferPointer(buffer))
        }
    }

    /// Decodes one line given as raw bytes.
    public static func decode(_ line: UnsafeRawBufferPointer) throws(MalformedMessage) -> StreamMessage {
        if let message = StreamMessageScanner.scan(line) { return message }
        return try decodeWithFoundation(line)
    }

    /// The general decoder (Foundation's JSON parser), for every shape the scanner leaves.
    static func decodeWithFoundation(_ line: UnsafeRawBufferPointer) throws(MalformedMessage) -> StreamMessage {
        let data = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: line.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!),
                        count: line.count, deallocator: .none)
        return try JSONObjectMessage.message(from: data)
    }
}

/// A line that could not be decoded; counted as malformed by the caller.
public struct MalformedMessage: Error, Hashable, CustomStringConvertible {
    /// Why, without echoing the line (it may be huge).
    public var reason: String
    public var description: String { "malformed message: \(reason)" }
}
