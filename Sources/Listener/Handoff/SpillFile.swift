import Foundation
import Logging
import PipelineModel

/// A local append-only file of posts that holds what the queue could not take, so nothing
/// is lost while MongoDB is down or slow. Posts are read back from the front in order; how
/// far the queue has accepted is kept in a sidecar `.offset` file, so a restart resumes
/// draining instead of starting over (and if the process dies between enqueue and offset
/// update, the queue's dedupe by id absorbs the repeat).
///
/// - Framing (`SpillRecord`): length-prefixed, checksummed records of compact JSON, with
///   no size limit, so one huge post is read whole instead of wedging the drain.
/// - Damage: a record whose header, checksum or JSON is bad is counted, logged with its
///   byte offset and skipped; after a bad header the reader resynchronises on the next
///   valid record header, so damage never blocks the records behind it.
/// - Crash mid-append: on open, a last record cut short is truncated away and counted;
///   a complete last record is kept.
/// - Lifetime: nothing exists on disk until the first post spills; once everything is
///   drained the file and its sidecar are removed.
/// - Upgrade: a JSON-lines file left by an earlier version is converted on open (its
///   undrained lines, of any length), then read like any other.
///
/// Not thread-safe: owned by one actor (`PostHandoff`).
public final class SpillFile {
    /// The spill file.
    public let url: URL
    let offsetURL: URL
    let logger: Logger
    private var handle: FileHandle?
    private var readOffset: UInt64 = 0
    private var endOffset: UInt64 = 0
    /// Damage before this offset was already counted (peek may read the same bytes twice).
    var reportedThrough: UInt64 = 0
    /// The last bytes read, so a peek of many small records costs few reads.
    private var windowStart: UInt64 = 0
    private var window: [UInt8] = []
    let encoder: JSONEncoder
    let decoder = JSONDecoder()
    /// Damaged records skipped so far (torn tails included).
    public private(set) var corruptLines = 0
    /// The latest skipped records, oldest first (at most `recentCorruptionLimit`).
    public private(set) var recentCorruptions: [Corruption] = []
    /// How many skipped records `recentCorruptions` keeps.
    public static let recentCorruptionLimit = 64

    private static let readChunk = 1 << 20
    private static let headerSize = UInt64(SpillRecord.fileHeader.count)

    /// Opens the spill file if a previous run left one (its posts are kept); creates
    /// nothing: the file appears when the first post spills.
    public init(url: URL, logger: Logger = Logger(label: "spill")) throws {
        self.url = url
        self.logger = logger
        offsetURL = url.appendingPathExtension("offset")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        self.encoder = encoder
        let manager = FileManager.default
        guard manager.fileExists(atPath: url.path) else {
            // A sidecar without its file is what a crash between the two removals leaves.
            try removeIfPresent(offsetURL)
            return
        }
        switch try Self.header(of: url) {
        case .intact:
            break
        case .torn:
            // Cut or damaged before its first record: it holds no post.
            try removeFiles()
            return
        case .damaged:
            // Records follow a damaged header: mend the header, keep reading the records.
            let handle = try FileHandle(forUpdating: url)
            try handle.write(contentsOf: Data(SpillRecord.fileHeader))
            try handle.close()
            note(Corruption(offset: 0, length: Self.headerSize, reason: .damagedHeader))
        case .foreign:
            throw ListenerError.configuration(
                "\(url.path) is not a spill file of this listener (no spill header); move it away or pass another --spill")
        }
        let handle = try FileHandle(forUpdating: url)
        self.handle = handle
        endOffset = try handle.seekToEnd()
        readOffset = min(max(savedOffset() ?? Self.headerSize, Self.headerSize), endOffset)
        try truncateTornTail()
        if readOffset >= endOffset { try removeFiles() }
    }

    deinit { try? handle?.close() }

    /// What starts an existing file.
    enum Header {
        /// This format's header (or an empty file).
        case intact
        /// No more bytes than a header, not the header: a file cut or damaged before its
        /// first record, holding no post.
        case torn
        /// Damaged header bytes, but this format's records follow.
        case damaged
        /// Something else: not a file this listener wrote.
        case foreign
    }

    /// Reads the start of `url` (and, if its header is not intact, scans for a record marker).
    static func header(of url: URL) throws -> Header {
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        let header = SpillRecord.fileHeader
        if data.isEmpty || data.starts(with: header) { return .intact }
        if data.count <= header.count { return .torn }
        // Record markers hold bytes that never occur in UTF-8: a text file (a JSON-lines
        // file passed as --spill) has none, this format's records always have some.
        let isText = String(validating: data, as: UTF8.self) != nil
        return data.range(of: Data(SpillRecord.marker)) != nil || !isText ? .damaged : .foreign
    }

    /// True when posts wait to be drained.
    public var hasPending: Bool { readOffset < endOffset }

    /// Bytes waiting (for gauges).
    public var pendingBytes: UInt64 { endOffset - readOffset }

    /// Appends posts durably enough for a crash of this process (the kernel has them);
    /// creates the file on first use.
    public func append(_ posts: [Post]) throws {
        guard !posts.isEmpty else { return }
        var bytes: [UInt8] = []
        for post in posts { bytes += SpillRecord.frame(Array(try encoder.encode(post))) }
        let handle = try openForAppending()
        try handle.seek(toOffset: endOffset)
        do {
            try handle.write(contentsOf: Data(bytes))
        } catch {
            // Leave no partial record behind for the next append to land after.
            try? handle.truncate(atOffset: endOffset)
            throw error
        }
        endOffset += UInt64(bytes.count)
    }

    /// Reads up to `limit` posts from the front without consuming them; pass the
    /// returned `consumedBytes` to `commit` once the queue accepted them. Damaged records
    /// are skipped (and counted once); their bytes are part of `consumedBytes`, so a peek
    /// may return no posts but a positive byte count.
    public func peek(limit: Int) throws -> (posts: [Post], consumedBytes: UInt64) {
        var posts: [Post] = []
        var offset = readOffset
        while posts.count < limit, offset < endOffset {
            if let header = try header(at: offset) {
                let payload = try bytes(at: offset + UInt64(SpillRecord.headerSize), count: header.length)
                if !SpillRecord.matches(payload, header) {
                    note(Corruption(offset: offset, length: UInt64(header.recordSize), reason: .checksumMismatch))
                } else if let post = try? decoder.decode(Post.self, from: Data(payload)) {
                    posts.append(post)
                } else {
                    note(Corruption(offset: offset, length: UInt64(header.recordSize), reason: .undecodablePost))
                }
                offset += UInt64(header.recordSize)
            } else {
                let next = try nextHeader(after: offset) ?? endOffset
                note(Corruption(offset: offset, length: next - offset, reason: .damagedHeader))
                offset = next
            }
        }
        return (posts, offset - readOffset)
    }

    /// Marks bytes from the front as delivered; removes the file and its sidecar once
    /// everything is delivered.
    public func commit(consumedBytes: UInt64) throws {
        readOffset = min(readOffset + consumedBytes, endOffset)
        if readOffset >= endOffset {
            try removeFiles()
            return
        }
        try Data("v2 \(readOffset)\n".utf8).write(to: offsetURL, options: .atomic)
    }

    // MARK: - Records

    /// The valid header at `offset` whose record lies wholly in the file, or nil.
    private func header(at offset: UInt64) throws -> SpillRecord.Header? {
        guard endOffset - offset >= UInt64(SpillRecord.headerSize),
              let header = SpillRecord.header(try bytes(at: offset, count: SpillRecord.headerSize)),
              offset + UInt64(header.recordSize) <= endOffset else { return nil }
        return header
    }

    /// Start of the first valid record header after `offset`, or nil.
    private func nextHeader(after offset: UInt64) throws -> UInt64? {
        let overlap = UInt64(SpillRecord.headerSize - 1)
        var start = offset + 1
        while start + UInt64(SpillRecord.headerSize) <= endOffset {
            let count = min(UInt64(Self.readChunk), endOffset - start)
            let chunk = Array(try bytes(at: start, count: Int(count)))
            if let index = SpillRecord.firstHeader(in: chunk, from: 0) { return start + UInt64(index) }
            start += count - overlap
        }
        return nil
    }

    /// On open: walks the record headers from the read offset; a last record cut short
    /// (or damage with no valid record after it) is a torn append, and is cut off so the
    /// next append does not land behind it.
    private func truncateTornTail() throws {
        var offset = readOffset
        while offset < endOffset {
            if let header = try header(at: offset) {
                offset += UInt64(header.recordSize)
            } else if let next = try nextHeader(after: offset) {
                offset = next  // damage in the middle: peek counts and skips it
            } else {
                break
            }
        }
        guard offset < endOffset, let handle else { return }
        note(Corruption(offset: offset, length: endOffset - offset, reason: .tornTail))
        try handle.truncate(atOffset: offset)
        endOffset = offset
        window = []
    }

    /// `count` bytes at `offset` (which must lie before `endOffset`), from the window
    /// when it holds them.
    private func bytes(at offset: UInt64, count: Int) throws -> ArraySlice<UInt8> {
        precondition(offset + UInt64(count) <= endOffset, "read past the end of the spill file")
        if offset >= windowStart, offset + UInt64(count) <= windowStart + UInt64(window.count) {
            let start = Int(offset - windowStart)
            return window[start..<(start + count)]
        }
        guard let handle else { throw ListenerError.configuration("the spill file \(url.path) is not open") }
        let size = Int(min(UInt64(max(count, Self.readChunk)), endOffset - offset))
        try handle.seek(toOffset: offset)
        let data = try handle.read(upToCount: size) ?? Data()
        guard data.count == size else {
            throw ListenerError.configuration("the spill file \(url.path) is shorter than expected")
        }
        window = [UInt8](data)
        windowStart = offset
        return window[0..<count]
    }

    func note(_ corruption: Corruption) {
        guard corruption.offset >= reportedThrough else { return }
        reportedThrough = corruption.offset + 1
        corruptLines += 1
        recentCorruptions.append(corruption)
        if recentCorruptions.count > Self.recentCorruptionLimit { recentCorruptions.removeFirst() }
        logger.warning("skipped a damaged record in the spill file", metadata: [
            "spill": "\(url.path)", "offset": "\(corruption.offset)", "bytes": "\(corruption.length)",
            "reason": "\(corruption.reason.rawValue)",
        ])
    }

    // MARK: - Files

    private func openForAppending() throws -> FileHandle {
        if let handle { return handle }
        let manager = FileManager.default
        try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try removeIfPresent(offsetURL)
        guard manager.createFile(atPath: url.path, contents: Data(SpillRecord.fileHeader)) else {
            throw ListenerError.configuration("cannot create the spill file \(url.path)")
        }
        let handle = try FileHandle(forUpdating: url)
        self.handle = handle
        endOffset = Self.headerSize
        readOffset = Self.headerSize
        return handle
    }

    /// Removes the file first, then its sidecar: a crash in between leaves a sidecar
    /// alone, which the next open discards.
    private func removeFiles() throws {
        try handle?.close()
        handle = nil
        try removeIfPresent(url)
        try removeIfPresent(offsetURL)
        readOffset = 0
        endOffset = 0
        reportedThrough = 0
        window = []
    }

    func removeIfPresent(_ file: URL) throws {
        if FileManager.default.fileExists(atPath: file.path) { try FileManager.default.removeItem(at: file) }
    }

    /// The read offset of this format's sidecar ("v2 N"); anything else is ignored.
    private func savedOffset() -> UInt64? {
        guard let text = try? String(contentsOf: offsetURL, encoding: .utf8) else { return nil }
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, fields[0] == "v2" else { return nil }
        return UInt64(fields[1])
    }
}
