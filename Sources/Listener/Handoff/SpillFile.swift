import Foundation
import PipelineCore

/// A local append-only file of posts (JSON lines) that holds what the queue could not
/// take, so nothing is lost while MongoDB is down or slow. Posts are read back from the
/// front in order; how far the queue has accepted is kept in a sidecar `.offset` file,
/// so a restart resumes draining instead of starting over (and if the process dies
/// between enqueue and offset update, the queue's dedupe by id absorbs the repeat).
/// When everything is drained the file is truncated.
///
/// Not thread-safe: owned by one actor (`PostHandoff`).
public final class SpillFile {
    /// The spill file.
    public let url: URL
    private let offsetURL: URL
    private let handle: FileHandle
    private var readOffset: UInt64
    private var endOffset: UInt64
    private let encoder = JSONEncoder()
    private let decoder = JSONDecoder()
    /// Lines that failed to decode while draining (a torn write after a crash).
    public private(set) var corruptLines = 0

    /// Opens (creating if needed) the spill file; posts left by a previous run are kept.
    public init(url: URL) throws {
        self.url = url
        offsetURL = url.appendingPathExtension("offset")
        let manager = FileManager.default
        try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !manager.fileExists(atPath: url.path) {
            guard manager.createFile(atPath: url.path, contents: nil) else {
                throw ListenerError.configuration("cannot create the spill file \(url.path)")
            }
        }
        handle = try FileHandle(forUpdating: url)
        endOffset = try handle.seekToEnd()
        let saved = (try? String(contentsOf: offsetURL, encoding: .utf8)).flatMap { UInt64($0.trimmingWhitespace()) } ?? 0
        readOffset = min(saved, endOffset)
    }

    deinit { try? handle.close() }

    /// True when posts wait to be drained.
    public var hasPending: Bool { readOffset < endOffset }

    /// Bytes waiting (for gauges).
    public var pendingBytes: UInt64 { endOffset - readOffset }

    /// Appends posts durably enough for a crash of this process (the kernel has them).
    public func append(_ posts: [Post]) throws {
        guard !posts.isEmpty else { return }
        var data = Data()
        for post in posts {
            data.append(try encoder.encode(post))
            data.append(10)
        }
        try handle.seek(toOffset: endOffset)
        try handle.write(contentsOf: data)
        endOffset += UInt64(data.count)
    }

    /// Reads up to `limit` posts from the front without consuming them; pass the
    /// returned `consumedBytes` to `commit` once the queue accepted them.
    public func peek(limit: Int) throws -> (posts: [Post], consumedBytes: UInt64) {
        var posts: [Post] = []
        var consumed: UInt64 = 0
        var offset = readOffset
        while posts.count < limit, offset < endOffset {
            try handle.seek(toOffset: offset)
            let chunk = try handle.read(upToCount: Int(min(endOffset - offset, 1 << 20))) ?? Data()
            guard !chunk.isEmpty else { break }
            var lineStart = chunk.startIndex
            var progressed = false
            while posts.count < limit, let newline = chunk[lineStart...].firstIndex(of: 10) {
                let line = chunk[lineStart..<newline]
                if let post = try? decoder.decode(Post.self, from: line) { posts.append(post) } else { corruptLines += 1 }
                consumed += UInt64(newline - lineStart + 1)
                lineStart = newline + 1
                progressed = true
            }
            if !progressed {
                // A torn final line without newline (crash mid-write): skip it.
                if offset + UInt64(chunk.count) >= endOffset {
                    corruptLines += 1
                    consumed += UInt64(chunk.count)
                }
                break
            }
            offset = readOffset + consumed
        }
        return (posts, consumed)
    }

    /// Marks bytes from the front as delivered; truncates the file once empty.
    public func commit(consumedBytes: UInt64) throws {
        readOffset = min(readOffset + consumedBytes, endOffset)
        if readOffset == endOffset {
            try handle.truncate(atOffset: 0)
            readOffset = 0
            endOffset = 0
        }
        try Data(String(readOffset).utf8).write(to: offsetURL, options: .atomic)
    }
}
