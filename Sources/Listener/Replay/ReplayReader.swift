import CZlib
import Foundation

/// Reads a replay file line by line, gzip or plain alike (zlib reads plain files
/// transparently), framing with the same `LineFramer` as the live stream.
public final class ReplayReader {
    /// The file.
    public let url: URL
    private let file: gzFile
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
        framer = LineFramer(maximumLineLength: maximumLineLength)
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        fileSize = (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    }

    deinit { gzclose(file) }

    /// Bytes of the file consumed so far (compressed offset for gzip).
    public var bytesRead: Int64 { Int64(gzoffset(file)) }

    /// The next non-empty line, nil at the end. Throws when the file is corrupt.
    public func nextLine() throws -> [UInt8]? {
        try withNextLine { Array($0) }
    }

    /// Calls `body` with the next non-empty line and returns its result; nil at the end.
    /// The bytes are borrowed from the reader's buffer (no copy per line) and valid only
    /// during the call. Throws when the file is corrupt.
    public func withNextLine<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        while true {
            let step: FrameStep<R> = try buffer.withUnsafeBytes { raw in
                let chunk = UnsafeRawBufferPointer(rebasing: raw[..<chunkLength])
                guard let frame = framer.nextFrame(in: chunk, from: &chunkOffset) else { return .exhausted }
                return try handle(frame, body)
            }
            switch step {
            case .value(let value): return value
            case .skipped: continue
            case .exhausted: break
            }
            if atEnd { return nil }
            let count = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if count < 0 {
                throw ListenerError.configuration("the replay file \(url.lastPathComponent) is corrupt or truncated")
            }
            chunkLength = Int(count)
            chunkOffset = 0
            if count == 0 {
                atEnd = true
                guard let last = framer.finishAsLine() else { return nil }
                let frame: LineFramer.BorrowedFrame = switch last {
                case .line(let bytes): .ownedLine(bytes)
                case .heartbeat: .heartbeat
                case .oversized(let count): .oversized(byteCount: count)
                }
                if case .value(let value) = try handle(frame, body) { return value }
                return nil
            }
        }
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

/// What one framing step of `ReplayReader.withNextLine` came to.
private enum FrameStep<R> {
    case value(R)
    case skipped
    case exhausted
}
