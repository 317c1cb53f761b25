import Foundation
import Logging
import PipelineModel

/// Replays archive and JSONL files into the same hand-off as the live stream: same
/// decoding, same dedupe, same queue path. Pacing follows receive times (archives) or
/// `created_at` (post files), scaled by the speed, on an injected clock.
///
/// Keywords come from `rules` (`KeywordResolver.replay`): the run's own rules evaluated on each
/// post, else the archived `matching_rules`. A post matching nothing is skipped and
/// counted in `Report.unmatched`; a post with neither stops the replay with a
/// `ListenerError.configuration` line.
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
        /// New posts that matched none of the rules (not handed off).
        public var unmatched = 0
        /// Keywords left out because a post matched more than the limit.
        public var droppedKeywords = 0
        /// Posts that had keywords left out.
        public var postsOverKeywordLimit = 0
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
    public var rules: KeywordResolver
    /// The longest single pacing wait: longer gaps in an archive are shortened to it.
    public var maximumWait = ReplayPacer.defaultMaximumWait
    /// Posts per hand-off call.
    public var batchSize = 500
    /// Where the keyword-limit warning and the match summary go.
    public var logger: Logger
    /// A problem found while configuring (e.g. a rule that does not parse): `run` throws
    /// it before reading anything.
    public var configurationError: ListenerError?

    /// Creates a replayer.
    public init(speed: ReplaySpeed, rules: KeywordResolver, logger: Logger = Logger(label: "listener.replay")) {
        self.speed = speed
        self.rules = rules
        self.logger = logger
    }

    /// Replays `files` in order into `submit`. Unreadable files throw before anything
    /// is sent, so a typo in the last file name does not replay the others first.
    /// Cancellation stops it at the next line or pacing wait: the posts read so far are
    /// submitted and the report says `stopped`.
    public func run<C: Clock>(files: [URL], clock: C, submit: ([Post]) async -> Void,
                              progress: ((Progress) -> Void)? = nil) async throws -> Report where C.Duration == Duration {
        try await run(inputs: files.map { .file($0) }, clock: clock, submit: submit, progress: progress)
    }

    /// Replays files and archive objects in order into `submit`, as `run(files:…)`. Files
    /// are opened up front (an unreadable one throws before anything is sent); objects,
    /// already listed, as their turn comes, each streamed in ranges.
    public func run<C: Clock>(inputs: [ReplayInput], clock: C, submit: ([Post]) async -> Void,
                              progress: ((Progress) -> Void)? = nil) async throws -> Report where C.Duration == Duration {
        if let configurationError { throw configurationError }
        let opened: [ReplayReader?] = try inputs.map { input in
            if case .file = input { return try input.open() }
            return nil
        }
        var processor = MessageProcessor(rules: rules)
        var pacer = ReplayPacer(speed: speed, maximumWait: maximumWait)
        let start = clock.now
        var report = Report()
        var batch: [Post] = []
        files: for (index, input) in inputs.enumerated() {
            let reader = try opened[index] ?? input.open()
            report.files += 1
            while true {
                if Task.isCancelled {
                    report.stopped = true
                    break files
                }
                let before = batch.count
                // The line is borrowed from the reader: decoded where it lies, never copied,
                // along the live stream's path (`MessageProcessor.read`).
                guard let (receivedAt, outcome) = try await reader.withNextLine(fetching: { raw in
                    let record = ArchiveRecord.split(raw)
                    return (record.receivedAt, processor.read(line: record.message, receivedAt: record.receivedAt, into: &batch))
                }) else { break }
                report.lines += 1
                if processor.counts.withoutRules > 0 { throw Self.lacksRules(input.name) }
                guard case .posts = outcome else { continue }
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
                    progress?(Progress(fileIndex: index, fileCount: inputs.count, bytesRead: reader.bytesRead,
                                       fileSize: reader.fileSize, posts: report.posts))
                }
            }
            report.malformed += reader.oversizedLines
            progress?(Progress(fileIndex: index, fileCount: inputs.count, bytesRead: reader.fileSize,
                               fileSize: reader.fileSize, posts: report.posts))
        }
        if !batch.isEmpty { await submit(batch) }
        report.malformed += processor.counts.malformed
        report.duplicates = processor.counts.duplicates
        report.unrecognized = processor.counts.unrecognized
        report.unmatched = processor.counts.unmatched
        report.droppedKeywords = processor.counts.droppedKeywords
        report.postsOverKeywordLimit = processor.counts.postsOverKeywordLimit
        if report.droppedKeywords > 0 {
            logger.warning("posts matched more keywords than the limit; the rest were left out", metadata: [
                "posts": "\(report.postsOverKeywordLimit)", "keywords_dropped": "\(report.droppedKeywords)",
                "limit": "\(rules.keywordLimit)",
            ])
        }
        logger.info("replay matching", metadata: [
            "rules": "\(rules.ownRules == nil ? "archived matching_rules" : "own")", "unmatched": "\(report.unmatched)",
        ])
        return report
    }

    /// The error for a post that cannot be placed: no rules of the run, none archived.
    static func lacksRules(_ name: String) -> ListenerError {
        .configuration("\(name) has posts without matching_rules; give --keyword or --rule with --tag to count them")
    }

    /// Whether the first post of `file` (within its first lines) carries no
    /// `matching_rules`, so a replay without rules of its own cannot place it. False
    /// when no post is found early or the file cannot be read (the replay reports that).
    public static func firstPostLacksRules(in file: URL, lines: Int = 100) -> Bool {
        guard let reader = try? ReplayReader(url: file) else { return false }
        var processor = MessageProcessor(rules: KeywordResolver.replay(ownRules: nil))
        var batch: [Post] = []
        for _ in 0..<lines {
            guard let found = try? reader.withNextLine({ raw -> Bool in
                _ = processor.read(line: ArchiveRecord.split(raw).message, receivedAt: nil, into: &batch)
                return processor.counts.posts > 0
            }) else { return false }
            if found { return processor.counts.withoutRules > 0 }
        }
        return false
    }
}
