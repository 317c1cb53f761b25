import CommandSupport
import Foundation
import Listener
import Logging
import PipelineCore

/// Runs the listener half of the pipeline: the live stream or a replay, into a hand-off.
struct PostSource {
    var options: SourceOptions
    var logger: Logger

    /// Streams or replays until the feed ends (replay) or the task is cancelled (stream).
    /// A live stream goes through the hand-off (the read loop never waits; overflow spills
    /// to disk); a replay enqueues directly and waits while the bounded queue is full,
    /// since a file can always be read later. `onSubmit` sees every batch as the listener
    /// hands it off (for latency probes).
    func run(handoff: PostHandoff, queue: any TweetQueue,
             onSubmit: @escaping @Sendable ([Post]) -> Void = { _ in }) async throws {
        if options.replay.isEmpty {
            try await stream(handoff: handoff)
        } else {
            let report = try await replay(queue: queue, onSubmit: onSubmit)
            logger.notice("replay finished", metadata: [
                "files": "\(report.files)", "lines": "\(report.lines)", "posts": "\(report.posts)",
                "duplicates": "\(report.duplicates)", "malformed": "\(report.malformed)",
            ])
            if report.malformed > 0 {
                FileHandle.standardError.write(Data("pipeline: \(report.malformed) malformed line(s) skipped\n".utf8))
            }
        }
    }

    private func stream(handoff: PostHandoff) async throws {
        let desired = try RuleSet.desiredRules(keywords: options.keywords,
                                               rawRules: Array(zip(options.rules, options.tags)).map { ($0, $1) },
                                               lang: options.lang)
        let token = try BearerToken.load(file: options.bearerTokenFile, environment: ProcessInfo.processInfo.environment)
        var configuration = StreamListener.Configuration()
        configuration.apiBase = options.apiBase
        configuration.desiredRules = desired
        configuration.namespace = RuleNamespace(prefix: options.rulesNamespace)
        configuration.stallTimeout = DurationText.parse(options.stallTimeout) ?? .seconds(20)
        configuration.reconnect.backfillMinutes = options.backfillMinutes
        let archiveWriter = try options.archive.map { folder in
            var settings = ArchiveWriter.Configuration(directory: URL(fileURLWithPath: folder))
            settings.gzip = options.archiveGzip
            return try ArchiveWriter(configuration: settings)
        }
        defer { archiveWriter?.close() }
        let listener = StreamListener(configuration: configuration, logger: logger)
        let report = try await listener.run(token: token, handoff: handoff, archive: archiveWriter)
        logger.notice("listener stopped", metadata: [
            "posts": "\(report.counts.posts)", "duplicates": "\(report.counts.duplicates)",
            "malformed": "\(report.counts.malformed)", "connections": "\(report.connections)",
        ])
    }

    private func replay(queue: any TweetQueue,
                        onSubmit: @escaping @Sendable ([Post]) -> Void) async throws -> Replayer.Report {
        let speed = ReplaySpeed(options.speed) ?? .maximum
        let book = RuleBook(namespace: RuleNamespace(prefix: options.rulesNamespace),
                            fallbackKeywords: options.keywords + options.tags)
        let replayer = Replayer(speed: speed, rules: book)
        let bar = ProgressBar.onTerminal(title: "replay")
        let files = options.replay.map { URL(fileURLWithPath: $0) }
        let report = try await replayer.run(files: files, clock: ContinuousClock(), submit: { posts in
            onSubmit(posts)
            // Nothing is dropped: a failing queue is retried until it accepts or we are stopped.
            while !Task.isCancelled {
                do {
                    _ = try await queue.enqueue(posts)
                    return
                } catch {
                    logger.error("enqueue failed during replay; retrying", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .milliseconds(200))
                }
            }
        }, progress: bar.map { bar in { bar.draw(fraction: $0.fraction, detail: $0.summary) } })
        bar?.finish()
        return report
    }
}
