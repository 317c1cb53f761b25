import Foundation
import Logging
import PipelineCore

/// Replays archive and JSONL files into the same hand-off as the live stream: same
/// decoding, same dedupe, same queue path. Pacing follows receive times (archives) or
/// `created_at` (post files), scaled by the speed, on an injected clock.
public struct Replayer: Sendable {
    /// What a replay did.
    public struct Report: Sendable, Hashable {
        /// Files read.
        public var files = 0
        /// Lines read (heartbeats excluded).
        public var lines = 0
        /// Posts handed off.
        public var posts = 0
        /// Posts dropped as repeats.
        public var duplicates = 0
        /// Lines that were not valid messages or were oversized.
        public var malformed = 0
        /// Valid JSON of an unknown shape.
        public var unrecognized = 0
        /// True when the run was cancelled before the end of its files (what was read
        /// until then was still handed off).
        public var stopped = false
    }

    /// Progress of a running replay, for a terminal progress bar.
    public struct Progress: Sendable {
        /// 0-based index of the current file.
        public var fileIndex: Int
        /// Number of files.
        public var fileCount: Int
        /// Bytes of the current file consumed.
        public var bytesRead: Int64
        /// Size of the current file.
        public var fileSize: Int64
        /// Posts handed off so far.
        public var posts: Int

        /// Share of the current file consumed, 0…1.
        public var fraction: Double {
            fileSize > 0 ? min(1, Double(bytesRead) / Double(fileSize)) : 1
        }

        /// A short status for a progress line.
        public var summary: String { "file \(fileIndex + 1)/\(fileCount) posts \(posts)" }
    }

    /// Replay speed.
    public var speed: ReplaySpeed
    /// Keyword resolution (the configured keywords act as fallback for rule-less posts).
    public var rules: RuleBook
    /// Posts per hand-off call.
    public var batchSize = 500

    /// Creates a replayer.
    public init(speed: ReplaySpeed, rules: RuleBook) {
        self.speed = speed
        self.rules = rules
    }

    /// Replays `files` in order into `submit`. Unreadable files throw before anything
    /// is sent, so a typo in the last file name does not replay the others first.
    /// Cancellation stops it at the next line or pacing wait: the posts read so far are
    /// submitted and the report says `stopped`.
    public func run<C: Clock>(files: [URL], clock: C, submit: ([Post]) async -> Void,
                              progress: ((Progress) -> Void)? = nil) async throws -> Report where C.Duration == Duration {
        let readers = try files.map { try ReplayReader(url: $0) }
        var processor = MessageProcessor(rules: rules)
        var pacer = ReplayPacer(speed: speed)
        let start = clock.now
        var report = Report()
        var batch: [Post] = []
        files: for (index, reader) in readers.enumerated() {
            report.files += 1
            while true {
                if Task.isCancelled {
                    report.stopped = true
                    break files
                }
                let before = batch.count
                // The line is borrowed from the reader: decoded where it lies, never copied.
                guard let (receivedAt, isPosts) = try reader.withNextLine({ raw in
                    let record = ArchiveRecord.split(raw)
                    return (record.receivedAt,
                            processor.process(line: record.message, receivedAt: record.receivedAt, appendingTo: &batch))
                }) else { break }
                report.lines += 1
                guard isPosts else { continue }
                let added = batch.count - before
                report.posts += added
                if case .factor = speed {
                    let wait = pacer.delay(before: receivedAt ?? (added > 0 ? batch[before].createdAt : nil),
                                           elapsed: start.duration(to: clock.now))
                    if wait > .zero {
                        // The line's posts wait for their time; what came before them goes now.
                        if before > 0 {
                            await submit(Array(batch[..<before]))
                            batch.removeFirst(before)
                        }
                        do { try await clock.sleep(until: clock.now.advanced(by: wait), tolerance: nil) } catch {
                            report.stopped = true
                            break files
                        }
                    }
                }
                if batch.count >= batchSize {
                    await submit(batch)
                    batch.removeAll(keepingCapacity: true)
                    progress?(Progress(fileIndex: index, fileCount: readers.count, bytesRead: reader.bytesRead,
                                       fileSize: reader.fileSize, posts: report.posts))
                }
            }
            report.malformed += reader.oversizedLines
            progress?(Progress(fileIndex: index, fileCount: readers.count, bytesRead: reader.fileSize,
                               fileSize: reader.fileSize, posts: report.posts))
        }
        if !batch.isEmpty { await submit(batch) }
        report.malformed += processor.counts.malformed
        report.duplicates = processor.counts.duplicates
        report.unrecognized = processor.counts.unrecognized
        return report
    }
}
