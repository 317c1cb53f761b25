import ArgumentParser
import CommandSupport
import Foundation
import Listener
import ListenerCommandSupport
import Logging
import MetricsEndpoint
import PipelineCore
import ServiceSupport

/// `listener`: follows the X API v2 filtered stream (or replays archives) and hands
/// posts to the queue: MongoDB's `inbox`, or JSON lines on stdout without MongoDB.
@main
struct ListenerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listener",
        abstract: "Follow the X API v2 filtered stream for keywords, or replay archives, into the post queue.",
        discussion: """
        The bearer token comes from X_BEARER_TOKEN or --bearer-token-file; it is never \
        logged. Posts go to the MongoDB queue (collection `inbox`) given by --mongo, or by \
        MONGODB_URI when --mongo is absent (keeps a password out of the process list); \
        with neither, they are printed to stdout as JSON lines. While MongoDB is \
        unreachable, posts wait in the --spill file and are sent when it answers again, \
        also after a restart.
        """)

    @OptionGroup var source: SourceOptions
    @OptionGroup var mongo: MongoOptions
    @OptionGroup var metrics: MetricsOptions
    @Option(help: "Spill file for posts the queue cannot take yet.")
    var spill = "listener-spill.jsonl"
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    func run() async throws {
        try await UserErrors.report(command: "listener") { try await execute() }
    }

    private func execute() async throws {
        try source.check()
        let logger = try LogSetup.bootstrap(label: "listener", level: logLevel)
        let metricsEndpoint = metrics.startEndpoint(serverName: "listener", logger: logger)
        defer { metricsEndpoint?.cancel() }
        let queue = try await openQueue(logger: logger)
        let spillFile: SpillFile
        do { spillFile = try SpillFile(url: URL(fileURLWithPath: spill)) } catch {
            throw CommandFailure("cannot open the spill file \(spill)")
        }
        let handoff = PostHandoff(queue: queue, spill: spillFile, logger: logger)
        let flusher = Task { await handoff.run() }
        defer { flusher.cancel() }

        if source.replay.isEmpty {
            try await stream(handoff: handoff, logger: logger)
        } else {
            try await replayFiles(handoff: handoff, logger: logger)
        }

        flusher.cancel()
        await handoff.flush(ignoringRetryDelay: true)
        let totals = await handoff.totals
        if !(await handoff.isDrained) {
            logger.warning("some posts remain in the spill file; they are sent on the next start",
                           metadata: ["spill": "\(spill)"])
        }
        logger.info("hand-off totals", metadata: [
            "enqueued": "\(totals.enqueued)", "spilled": "\(totals.spilled)", "queue_duplicates": "\(totals.duplicates)",
        ])
    }

    /// The MongoDB queue (`--mongo`, else `$MONGODB_URI`), or JSON lines on stdout. An
    /// unreachable server is not fatal: posts spill to disk until it answers.
    private func openQueue(logger: Logger) async throws -> any TweetQueue {
        guard let uri = mongo.resolvedURI() else { return JSONLinesQueue(output: .standardOutput) }
        let backend = try MongoBackend(uri: uri, database: mongo.database, appName: "listener", logger: logger)
        do {
            try await backend.prepareQueue()
            // Debug, not info: a run that ends at once (bad token) prints exactly one line.
            logger.debug("MongoDB queue ready", metadata: [
                "uri": "\(backend.redactedURI)", "database": "\(backend.databaseName)",
            ])
        } catch {
            logger.warning("MongoDB is unreachable; posts spill to disk until it answers", metadata: [
                "uri": "\(backend.redactedURI)", "error": "\(error)",
            ])
        }
        return backend.queue
    }

    private func stream(handoff: PostHandoff, logger: Logger) async throws {
        let configuration = try source.streamConfiguration()
        let token = try source.bearerToken()
        let archiveWriter = try source.archiveWriter()
        defer { archiveWriter?.close() }
        let listener = StreamListener(configuration: configuration, logger: logger)
        let report = try await SignalCancellation.run {
            try await listener.run(token: token, handoff: handoff, archive: archiveWriter)
        }
        logger.info("listener stopped", metadata: [
            "messages": "\(report.counts.messages)", "posts": "\(report.counts.posts)",
            "duplicates": "\(report.counts.duplicates)", "malformed": "\(report.counts.malformed)",
            "heartbeats": "\(report.counts.heartbeats)", "connections": "\(report.connections)",
        ])
    }

    private func replayFiles(handoff: PostHandoff, logger: Logger) async throws {
        let replayer = source.replayer()
        let bar = ProgressBar.onTerminal(title: "replay")
        let files = source.replayFiles
        let report = try await SignalCancellation.run {
            try await replayer.run(files: files, clock: ContinuousClock(), submit: { await handoff.submit($0) },
                                   progress: bar.map { bar in { bar.draw(fraction: $0.fraction, detail: $0.summary) } })
        }
        bar?.finish()
        logger.info("replay finished", metadata: [
            "files": "\(report.files)", "lines": "\(report.lines)", "posts": "\(report.posts)",
            "duplicates": "\(report.duplicates)", "malformed": "\(report.malformed)", "unrecognized": "\(report.unrecognized)",
        ])
        if report.malformed > 0 {
            FileHandle.standardError.write(Data("listener: \(report.malformed) malformed line(s) skipped\n".utf8))
        }
    }
}
