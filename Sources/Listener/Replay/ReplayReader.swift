import CZlib
import Foundation

/// Reads a replay file line by line, gzip or plain alike (zlib reads plain files
/// transparently), framing with the same `LineFramer` as the live stream.
public final class ReplayReader {
    /// The file.
    public let url: URL
    private let file: gzFile
    private var framer: LineFramer
    private var pending: [LineFramer.Frame] = []
    private var pendingIndex = 0
    private var buffer = [UInt8](repeating: 0, count: 256 * 1024)
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
        while true {
            while pendingIndex < pending.count {
                let frame = pending[pendingIndex]
                pendingIndex += 1
                switch frame {
                case .line(let bytes): return bytes
                case .heartbeat: continue
                case .oversized: oversizedLines += 1
                }
            }
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            if atEnd { return nil }
            let count = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if count < 0 {
                throw ListenerError.configuration("the replay file \(url.lastPathComponent) is corrupt or truncated")
            }
            if count == 0 {
                atEnd = true
                if let last = framer.finishAsLine() { pending.append(last) }
                continue
            }
            buffer.withUnsafeBytes { raw in
                framer.append(UnsafeRawBufferPointer(rebasing: raw[0..<Int(count)])) { pending.append($0) }
            }
        }
    }
}
