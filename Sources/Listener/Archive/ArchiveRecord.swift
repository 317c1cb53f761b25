import Foundation

/// One line of a file replay reads, split into receive time (archive lines only) and
/// message. Lines in the listener's archive format are `<time>\t<message>`; any other
/// line is a message on its own (one stream message or one post object, as twarc2 and
/// other tools write JSONL).
public struct ArchiveRecord: Sendable, Hashable {
    /// The receive time, for archive lines.
    public var receivedAt: Date?
    /// The message bytes.
    public var message: [UInt8]

    /// Splits a line.
    public init(line: [UInt8]) {
        let time = line.withUnsafeBytes { Self.split($0).receivedAt }
        receivedAt = time
        message = time == nil ? line : Array(line[25...])
    }

    /// The same split over borrowed bytes: the receive time and the message's bytes.
    static func split(_ line: UnsafeRawBufferPointer) -> (receivedAt: Date?, message: UnsafeRawBufferPointer) {
        // An archive line starts with a digit and has a tab right after the 24-byte stamp;
        // a JSON message starts with `{` (or whitespace), so there is no ambiguity.
        if line.count > 25, line[24] == 9, (48...57).contains(line[0]),
           let time = Timestamp.parse(utf8: UnsafeRawBufferPointer(rebasing: line[0..<24]).bindMemory(to: UInt8.self)) {
            return (time, UnsafeRawBufferPointer(rebasing: line[25...]))
        }
        return (nil, line)
    }
}
