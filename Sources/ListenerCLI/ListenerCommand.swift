import ArgumentParser
import Wiring
import Foundation
import Listener
import Logging
import PipelineModel
import Storage
import ServiceLifecycle
import Synchronization

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
        unreachable, posts wait in the spill file (under --state-dir) and are sent when it \
        answers again, also after a restart.

        SIGINT/SIGTERM stop it at any moment, startup included: it exits 0 once every post \
        it read is in the queue or in the spill file, and prints its totals. A replay ends \
        the same way when the files are read.
        """)

    @OptionGroup var source: SourceOptions
    @OptionGroup var mongo: MongoOptions
    @OptionGroup var metrics: MetricsOptions
    @OptionGroup var state: StateOptions
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    /// Signals are caught before flags are parsed: there is no moment when one kills us.
    static func main() async {
        ShutdownSignals.install()
        await main(nil)
    }

    func run() async throws {
        try await UserErrors.report(command: "listener") { try await execute() }
    }

    private func execute() async throws {
        let signals = ShutdownSignals.install()
        try source.check()
        let logger = try LogSetup.bootstrap(label: "listener", level: logLevel)
        let lifecycle = ProcessLifecycle(signals: signals, logger: logger)
        let metricsServer = metrics.endpoint(serverName: "listener", logger: logger)
        let destination = try QueueDestination(mongo: mongo, logger: logger)
        let spillURL = state.spillURL(service: "listener")
        let spillFile: SpillFile
        do { spillFile = try SpillFile(url: spillURL, logger: logger) } catch {
            throw CommandFailure("cannot use the spill file \(spillURL.path): \(error)")
        }
        let handoff = PostHandoff(queue: destination.queue, spill: spillFile, logger: logger)
        let ending = Mutex<FeedReport?>(nil)

        // Servers bind before anything else happens: a busy port ends the run before a
        // post is read or the queue is touched.
        let feed = try source.feed(handoff: handoff, logger: logger, stateDirectory: state.directory(), before: {
            if let metricsServer { _ = try await metricsServer.port.value() }
            await destination.prepare()
        }, finished: { report in ending.withLock { $0 = report } })
        var parts: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let metricsServer { parts.append(.runsUntilStopped(metricsServer)) }
        parts.append(.runsUntilStopped(handoff))
        parts.append(.endsRun(feed))
        try await lifecycle.run(parts)

        let handed = await handoff.totals
        if let report = ending.withLock({ $0 }) {
            report.log(command: "listener", handoff: handed, logger: logger)
        } else {
            logger.info("listener stopped before reading", metadata: [
                "enqueued": "\(handed.enqueued)", "spilled": "\(handed.spilled)",
                "drained_from_spill": "\(handed.drained)",
            ])
        }
        if !(await handoff.isDrained) {
            logger.warning("posts wait in the spill file; they are sent on the next start",
                           metadata: ["spill": "\(spillURL.path)"])
        }
    }
}

/// Where the listener's posts go: the MongoDB queue (`--mongo`, else `$MONGODB_URI`), or
/// JSON lines on stdout. Creating it does no I/O; `prepare` creates the queue's indexes
/// and, when MongoDB is down, only warns: posts spill to disk until it answers.
private struct QueueDestination: Sendable {
    let queue: any PostSink
    private let backend: MongoBackend?
    private let logger: Logger

    init(mongo: MongoOptions, logger: Logger) throws {
        self.logger = logger
        if let uri = mongo.resolvedURI() {
            let backend = try MongoBackend(uri: uri, database: mongo.database, appName: "listener", logger: logger)
            self.backend = backend
            queue = backend.queue
        } else {
            backend = nil
            queue = JSONLinesSink(output: .standardOutput)
        }
    }

    func prepare() async {
        guard let backend else { return }
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
    }
}
