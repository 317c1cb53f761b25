/// Splits the body of a stream into lines, incrementally: bytes arrive in chunks cut
/// anywhere (inside a message, inside a UTF-8 sequence, between `\r` and `\n`), and the
/// framer yields the same frames whatever the cut. It works on bytes, so a multi-byte
/// character split across chunks is only ever decoded whole.
///
/// A line ends at `\n`; one `\r` before it is dropped (the stream sends `\r\n`, archives
/// and JSONL files often only `\n`). An empty line is a keep-alive heartbeat. A line
/// longer than `maximumLineLength` is not buffered: its bytes are skipped up to its end
/// and it is reported as `.oversized`, so a hostile or broken peer cannot exhaust memory.
public struct LineFramer: Sendable {
    /// One framed unit of the stream.
    public enum Frame: Sendable, Hashable {
        /// A complete, non-empty line without its terminator.
        case line([UInt8])
        /// An empty line: the server's keep-alive.
        case heartbeat
        /// A line over the length limit, skipped; carries its length in bytes.
        case oversized(byteCount: Int)
    }

    /// The longest line kept, in bytes (terminator excluded).
    public let maximumLineLength: Int
    private var buffer: [UInt8] = []
    /// Bytes of an oversized line skipped so far; nil while not skipping.
    private var skipped: Int?

    /// Creates a framer; the default limit (1 MiB) is far above any real post message.
    public init(maximumLineLength: Int = 1 << 20) {
        precondition(maximumLineLength > 0, "maximumLineLength must be positive")
        self.maximumLineLength = maximumLineLength
        buffer.reserveCapacity(min(maximumLineLength, 16 * 1024))
    }

    /// True when a partial line is waiting for more bytes.
    public var hasPartialLine: Bool { !buffer.isEmpty || skipped != nil }

    /// Feeds a chunk and calls `emit` for each frame it completes, in order.
    public mutating func append(_ chunk: UnsafeRawBufferPointer, emit: (Frame) throws -> Void) rethrows {
        let bytes = chunk.bindMemory(to: UInt8.self)
        var start = 0
        let end = bytes.count
        while start < end {
            // memchr is much faster than a Swift loop on long lines.
            let base = bytes.baseAddress! + start
            guard let found = memchrNewline(base, end - start) else {
                consumePartial(UnsafeBufferPointer(rebasing: bytes[start..<end]))
                return
            }
            let newline = start + found
            consumePartial(UnsafeBufferPointer(rebasing: bytes[start..<newline]))
            try emit(completeLine())
            start = newline + 1
        }
    }

    /// A frame whose line is borrowed where possible (see `nextFrame(in:from:)`).
    enum BorrowedFrame {
        /// A line lying whole in the chunk: a view of it, valid while the chunk is.
        case line(UnsafeRawBufferPointer)
        /// A line that began in an earlier chunk, copied out of the framer's buffer.
        case ownedLine([UInt8])
        case heartbeat
        case oversized(byteCount: Int)
    }

    /// `append(_:emit:)` one frame at a time, without copying lines that lie whole in the
    /// chunk (all but the one cut by each chunk boundary): the next frame that
    /// `chunk[offset...]` completes, with `offset` moved past it, or nil when the rest of
    /// the chunk was taken as a partial line. The frames are those `append` emits.
    mutating func nextFrame(in chunk: UnsafeRawBufferPointer, from offset: inout Int) -> BorrowedFrame? {
        guard offset < chunk.count, let base = chunk.baseAddress else { return nil }
        guard let hit = memchr(base + offset, 10, chunk.count - offset) else {
            consumePartial(UnsafeRawBufferPointer(rebasing: chunk[offset...]).bindMemory(to: UInt8.self))
            offset = chunk.count
            return nil
        }
        let newline = UnsafeRawPointer(hit) - base
        let part = UnsafeRawBufferPointer(rebasing: chunk[offset..<newline])
        offset = newline + 1
        guard buffer.isEmpty, skipped == nil else {
            consumePartial(part.bindMemory(to: UInt8.self))
            switch completeLine() {
            case .line(let bytes): return .ownedLine(bytes)
            case .heartbeat: return .heartbeat
            case .oversized(let count): return .oversized(byteCount: count)
            }
        }
        // What consumePartial + completeLine decide for a line with nothing buffered.
        if part.count > maximumLineLength + 1 { return .oversized(byteCount: part.count) }
        let line = part.last == 13 ? UnsafeRawBufferPointer(rebasing: part.dropLast()) : part
        if line.isEmpty { return .heartbeat }
        if line.count > maximumLineLength { return .oversized(byteCount: line.count) }
        return .line(line)
    }

    /// Feeds a chunk and returns the frames it completes.
    public mutating func append<Bytes: Sequence>(_ chunk: Bytes) -> [Frame] where Bytes.Element == UInt8 {
        var frames: [Frame] = []
        let array = Array(chunk)
        array.withUnsafeBytes { raw in append(raw) { frames.append($0) } }
        return frames
    }

    /// Ends the input: returns the byte count of an unterminated trailing line (a message
    /// cut off by a disconnect), which the caller counts as malformed, and resets.
    public mutating func finish() -> Int? {
        defer { buffer.removeAll(keepingCapacity: true); skipped = nil }
        if let skipped { return skipped }
        return buffer.isEmpty ? nil : buffer.count
    }

    /// Ends the input of a file, where a last line without terminator is still a line:
    /// returns it as a frame (nil when nothing is pending) and resets.
    public mutating func finishAsLine() -> Frame? {
        guard hasPartialLine else { return nil }
        let frame = completeLine()
        buffer.removeAll(keepingCapacity: true)
        skipped = nil
        return frame
    }

    private mutating func consumePartial(_ part: UnsafeBufferPointer<UInt8>) {
        guard !part.isEmpty else { return }
        if let count = skipped {
            skipped = count + part.count
        } else if buffer.count + part.count > maximumLineLength + 1 {
            // +1 leaves room for the `\r` that is not part of the line.
            skipped = buffer.count + part.count
            buffer.removeAll(keepingCapacity: false)
        } else {
            buffer.append(contentsOf: part)
        }
    }

    private mutating func completeLine() -> Frame {
        if let count = skipped {
            skipped = nil
            return .oversized(byteCount: count)
        }
        if buffer.last == 13 { buffer.removeLast() }
        if buffer.isEmpty { return .heartbeat }
        if buffer.count > maximumLineLength {
            let count = buffer.count
            buffer.removeAll(keepingCapacity: true)
            return .oversized(byteCount: count)
        }
        let line = buffer
        buffer.removeAll(keepingCapacity: true)
        return .line(line)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@inline(__always)
private func memchrNewline(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int? {
    guard let hit = memchr(base, 10, count) else { return nil }
    return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
}
