import Wiring
import Foundation
import Listener
import Logging
import PipelineModel
import Storage
import ServiceLifecycle

/// Runs the listener half of the pipeline: the live stream or a replay, into a hand-off.
struct PostSource {
    var options: SourceOptions
    var logger: Logger

    /// Streams or replays until the feed ends (replay), or until graceful shutdown or
    /// cancellation. A live stream goes through the hand-off (the read loop never waits;
    /// overflow spills to disk); a replay enqueues directly and waits while the bounded
    /// queue is full, since a file can always be read later. `onSubmit` sees every batch
    /// as the listener hands it off (for latency probes). Returns true when a replay read
    /// its files to the end.
    @discardableResult
    func run(handoff: PostHandoff, queue: any TweetQueue,
             onSubmit: @escaping @Sendable ([Post]) -> Void = { _ in }) async throws -> Bool {
        if options.replay.isEmpty {
            try await stream(handoff: handoff)
            return false
        }
        let report = try await cancelWhenGracefulShutdown { [self] in
            try await replay(handoff: handoff, queue: queue, onSubmit: onSubmit)
        }
        if report.stopped {
            logger.info("replay stopped before the end of its files", metadata: ["posts": "\(report.posts)"])
            return false
        }
        logger.notice("replay finished", metadata: [
            "files": "\(report.files)", "lines": "\(report.lines)", "posts": "\(report.posts)",
            "duplicates": "\(report.duplicates)", "malformed": "\(report.malformed)",
        ])
        if report.malformed > 0 {
            FileHandle.standardError.write(Data("pipeline: \(report.malformed) malformed line(s) skipped\n".utf8))
        }
        return true
    }

    private func stream(handoff: PostHandoff) async throws {
        let configuration = try options.streamConfiguration()
        let token = try options.bearerToken()
        let archiveWriter = try options.archiveWriter()
        defer { archiveWriter?.close() }
        let listener = StreamListener(configuration: configuration, logger: logger)
        let report = try await cancelWhenGracefulShutdown {
            try await listener.run(token: token, handoff: handoff, archive: archiveWriter)
        }
        logger.notice("listener stopped", metadata: [
            "posts": "\(report.counts.posts)", "duplicates": "\(report.counts.duplicates)",
            "malformed": "\(report.counts.malformed)", "connections": "\(report.connections)",
        ])
    }

    private func replay(handoff: PostHandoff, queue: any TweetQueue,
                        onSubmit: @escaping @Sendable ([Post]) -> Void) async throws -> Replayer.Report {
        let replayer = options.replayer()
        let bar = ProgressBar.onTerminal(title: "replay")
        let files = options.replayFiles
        let logger = self.logger
        let report = try await replayer.run(files: files, clock: ContinuousClock(), submit: { posts in
            onSubmit(posts)
            // Nothing is dropped: a failing queue is retried until it accepts or we are stopped.
            var failures = 0
            while !Task.isCancelled {
                do {
                    _ = try await queue.enqueue(posts)
                    if failures > 0 { logger.notice("queue accepts posts again") }
                    return
                } catch {
                    failures += 1
                    if failures == 1 {
                        logger.warning("enqueue failed during replay; retrying", metadata: ["error": "\(error)"])
                    }
                    try? await Task.sleep(for: .milliseconds(200))
                }
            }
            // Stopped while the queue refused them: the hand-off sends or spills them at exit.
            await handoff.submit(posts)
        }, progress: bar.map { bar in { bar.draw(fraction: $0.fraction, detail: $0.summary) } })
        bar?.finish()
        return report
    }
}
