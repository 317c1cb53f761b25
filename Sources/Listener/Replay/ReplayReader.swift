import CZlib
import Foundation
import ObjectStorage

/// Reads a replay file line by line, gzip or plain alike (zlib reads plain files
/// transparently), framing with the same `LineFramer` as the live stream. An archive
/// object is read the same way, its chunks fetched (and inflated) as framing needs them:
/// only `withNextLine(fetching:)` can read one, since fetching waits on the network.
public final class ReplayReader {
    /// The file (for an object: `s3://bucket/key` as a URL).
    public let url: URL
    private let file: gzFile?
    private let object: ObjectInflater?
    private var framer: LineFramer
    private var buffer = [UInt8](repeating: 0, count: 256 * 1024)
    /// The bytes of `buffer` read from the file, and how far framing has come in them.
    private var chunkLength = 0
    private var chunkOffset = 0
    private var atEnd = false
    /// Lines over the length limit, or a truncated last line.
    public private(set) var oversizedLines = 0
    /// Size of the file on disk, for progress.
    public let fileSize: Int64

    /// Opens a file; throws a one-line error when it cannot be read.
    public init(url: URL, maximumLineLength: Int = 1 << 20) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
              FileManager.default.isReadableFile(atPath: url.path), let file = gzopen(url.path, "rb")
        else { throw ListenerError.configuration("cannot read the replay file \(url.path)") }
        self.url = url
        self.file = file
        object = nil
        framer = LineFramer(maximumLineLength: maximumLineLength)
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        fileSize = (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// A reader of an archive object, fetched in ranges as lines are read.
    public init(object reader: ObjectChunkReader, maximumLineLength: Int = 1 << 20) throws {
        url = URL(string: "s3://\(reader.object.key)") ?? URL(fileURLWithPath: reader.object.key)
        file = nil
        object = try ObjectInflater(reader: reader, gzip: reader.object.key.hasSuffix(".gz"))
        framer = LineFramer(maximumLineLength: maximumLineLength)
        fileSize = reader.object.size
    }

    deinit { if let file { gzclose(file) } }

    /// Bytes of the file consumed so far (compressed offset for gzip).
    public var bytesRead: Int64 {
        if let file { return Int64(gzoffset(file)) }
        return object?.bytesFetched ?? 0
    }

    /// The next non-empty line, nil at the end. Throws when the file is corrupt.
    public func nextLine() throws -> [UInt8]? {
        try withNextLine { Array($0) }
    }

    /// Calls `body` with the next non-empty line and returns its result; nil at the end.
    /// The bytes are borrowed from the reader's buffer (no copy per line) and valid only
    /// during the call. Throws when the file is corrupt. Files only: an object's reader
    /// needs `withNextLine(fetching:)`.
    public func withNextLine<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        precondition(file != nil, "an archive object is read with withNextLine(fetching:)")
        while true {
            if let step = try frame(body) { return step.value }
            let count = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if count < 0 {
                throw ListenerError.configuration("the replay file \(url.lastPathComponent) is corrupt or truncated")
            }
            if let last = try refilled(count: Int(count), body) { return last.value }
        }
    }

    /// `withNextLine` for files and objects alike: when the buffer runs dry it waits for
    /// the next chunk (a ranged GET, on a thread of its own) instead of blocking.
    public func withNextLine<R>(fetching body: (UnsafeRawBufferPointer) throws -> R) async throws -> R? {
        guard let object else { return try withNextLine(body) }
        while true {
            if let step = try frame(body) { return step.value }
            let chunk = try await object.read(maximum: buffer.count)
            buffer.replaceSubrange(0..<chunk.count, with: chunk)
            if let last = try refilled(count: chunk.count, body) { return last.value }
        }
    }

    /// The next line's result from what is buffered: `.some(value)`, `.some(nil)` at the
    /// end, nil when more bytes are needed.
    private func frame<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> Found<R>? {
        while true {
            if atEnd && chunkOffset >= chunkLength { return Found(value: nil) }
            let step: FrameStep<R> = try buffer.withUnsafeBytes { raw in
                let chunk = UnsafeRawBufferPointer(rebasing: raw[..<chunkLength])
                guard let frame = framer.nextFrame(in: chunk, from: &chunkOffset) else { return .exhausted }
                return try handle(frame, body)
            }
            switch step {
            case .value(let value): return Found(value: value)
            case .skipped: continue
            case .exhausted: return atEnd ? Found(value: nil) : nil
            }
        }
    }

    /// Takes `count` new bytes into the buffer; at the end (0) hands out a last line the
    /// input did not end with a newline: its result, or nil (continue framing).
    private func refilled<R>(count: Int, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> Found<R>? {
        chunkLength = count
        chunkOffset = 0
        guard count == 0 else { return nil }
        atEnd = true
        guard let last = framer.finishAsLine() else { return Found(value: nil) }
        let frame: LineFramer.BorrowedFrame = switch last {
        case .line(let bytes): .ownedLine(bytes)
        case .heartbeat: .heartbeat
        case .oversized(let count): .oversized(byteCount: count)
        }
        if case .value(let value) = try handle(frame, body) { return Found(value: value) }
        return Found(value: nil)
    }

    private func handle<R>(_ frame: LineFramer.BorrowedFrame, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> FrameStep<R> {
        switch frame {
        case .line(let bytes): return .value(try body(bytes))
        case .ownedLine(let bytes): return .value(try bytes.withUnsafeBytes(body))
        case .heartbeat: return .skipped
        case .oversized:
            oversizedLines += 1
            return .skipped
        }
    }
}

/// A line's result, or (nil) the end of the input.
private struct Found<R> {
    var value: R?
}

/// What one framing step of `ReplayReader.withNextLine` came to.
private enum FrameStep<R> {
    case value(R)
    case skipped
    case exhausted
}
