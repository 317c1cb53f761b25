import Foundation
import Logging
import ObjectStorage
import Synchronization

/// The local folder where archive files wait for their upload, with a size cap. The
/// writer asks `admit` before each line; the uploader lists `completedFiles`, and after
/// each verified upload deletes the file through `remove`. A file being written ends in
/// `.part`; only complete files are uploaded. Usage is the folder's size at the last scan
/// plus what was admitted since, so the cap holds to within one line.
///
/// At 80 % of the cap a warning says how close it is (once, until usage falls under half);
/// at the cap new lines are not archived (counted, one error line) until uploads free room.
/// The stream itself goes on: the archive is a copy, the queue is the delivery path.
public final class ArchiveStaging: Sendable {
    /// The folder.
    public let directory: URL
    /// The cap in bytes.
    public let limit: Int64
    private let logger: Logger
    private let state: Mutex<State>

    private struct State {
        var scanned: Int64 = 0
        var admittedSinceScan: Int64 = 0
        var warned = false
        var refusing = false
        var refusedLines = 0
        var nextSequence = 1
    }

    /// Suffix of the file being written.
    public static let partSuffix = ".part"

    /// Creates the folder, finishes `.part` files a previous run left (what they hold is
    /// archive data too) and reads the size and the sequence number.
    public init(directory: URL, limit: Int64, logger: Logger) throws {
        self.directory = directory
        self.limit = limit
        self.logger = logger
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ListenerError.configuration("cannot create the archive staging folder \(directory.path)")
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        where name.hasSuffix(Self.partSuffix) {
            let from = directory.appendingPathComponent(name)
            try? FileManager.default.moveItem(at: from, to: directory.appendingPathComponent(String(name.dropLast(Self.partSuffix.count))))
        }
        var state = State()
        state.nextSequence = (try? String(contentsOf: Self.sequenceFile(directory), encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 1
        self.state = Mutex(state)
        rescan()
    }

    /// Complete files, oldest first (names sort by time).
    public func completedFiles() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix("stream-") && !$0.hasSuffix(Self.partSuffix) }.sorted()
            .map { directory.appendingPathComponent($0) }
    }

    /// Bytes staged, as far as known.
    public var usage: Int64 { state.withLock { $0.scanned + $0.admittedSinceScan } }

    /// Lines not archived because the staging folder was full.
    public var refusedLines: Int { state.withLock { $0.refusedLines } }

    /// Whether a line of `bytes` may be archived now.
    public func admit(_ bytes: Int) -> Bool {
        let (admitted, logRefusal, logWarning, usage) = state.withLock { state -> (Bool, Bool, Bool, Int64) in
            let usage = state.scanned + state.admittedSinceScan
            if usage + Int64(bytes) > limit {
                state.refusedLines += 1
                let first = !state.refusing
                state.refusing = true
                return (false, first, false, usage)
            }
            state.admittedSinceScan += Int64(bytes)
            let warn = !state.warned && usage * 5 >= limit * 4
            if warn { state.warned = true }
            return (true, false, warn, usage)
        }
        if logWarning {
            logger.warning("archive staging is over 80% of its limit: the object store is not taking files; at the limit new lines are not archived", metadata: [
                "staging": "\(directory.path)", "usage_bytes": "\(usage)", "limit_bytes": "\(limit)",
            ])
        }
        if logRefusal {
            logger.error("archive staging is full: lines are not archived until uploads free room", metadata: [
                "staging": "\(directory.path)", "limit_bytes": "\(limit)",
            ])
        }
        return admitted
    }

    /// The next sequence number for a file name, kept across restarts.
    public func takeSequence() -> Int {
        let sequence = state.withLock { state -> Int in
            defer { state.nextSequence += 1 }
            return state.nextSequence
        }
        try? Data("\(sequence + 1)\n".utf8).write(to: Self.sequenceFile(directory), options: .atomic)
        return sequence
    }

    /// Deletes an uploaded file (and its digests) and re-reads the folder's size.
    public func remove(_ file: URL) {
        try? FileManager.default.removeItem(at: file)
        forgetDigests(of: file)
        rescan()
    }

    /// Keeps the digests of a complete file, computed as it was written, beside it (a hidden
    /// `.<name>.digests` file: its MD5 and SHA-256 in hex and its size), so its upload
    /// need not read it again. Written before the file is complete, atomically.
    public func keepDigests(_ digests: UploadDigests, size: Int64, of file: URL) {
        try? Data("\(digests.hex) \(size)\n".utf8).write(to: Self.digestsFile(of: file), options: .atomic)
    }

    /// The digests kept for `file`, if they are there and its size still matches.
    public func digests(of file: URL) -> UploadDigests? {
        guard let text = try? String(contentsOf: Self.digestsFile(of: file), encoding: .utf8),
              let sizeField = text.split(separator: " ").last,
              let size = Int64(sizeField.trimmingCharacters(in: .whitespacesAndNewlines)),
              let actual = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.int64Value,
              actual == size else { return nil }
        return UploadDigests(hex: text.dropLast(sizeField.count + 1))
    }

    /// Drops `file`'s kept digests (when the store says they do not match it).
    public func forgetDigests(of file: URL) {
        try? FileManager.default.removeItem(at: Self.digestsFile(of: file))
    }

    private static func digestsFile(of file: URL) -> URL {
        file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).digests")
    }

    /// Re-reads the folder's size (the writer's bytes on disk replace its admitted count).
    public func rescan() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let total = names.reduce(Int64(0)) { sum, name in
            let size = (try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)[.size]
                as? NSNumber)?.int64Value ?? 0
            return sum + size
        }
        let recovered = state.withLock { state -> Int? in
            state.scanned = total
            state.admittedSinceScan = 0
            if total * 2 < limit { state.warned = false }
            guard state.refusing, total < limit else { return nil }
            state.refusing = false
            return state.refusedLines
        }
        if let recovered {
            logger.notice("archive staging has room again", metadata: ["lines_not_archived_so_far": "\(recovered)"])
        }
    }

    private static func sequenceFile(_ directory: URL) -> URL { directory.appendingPathComponent(".sequence") }
}
