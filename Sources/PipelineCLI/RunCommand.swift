import ArgumentParser
import CommandSupport
import Dashboard
import Foundation
import Hummingbird
import Listener
import ListenerCommandSupport
import Logging
import MetricsEndpoint
import PipelineCore
import ServiceSupport

/// `pipeline [run]`: listener (live or replay) + consumer workers + dashboard, one process.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Stream (or replay) posts, score them and serve the live dashboard, all in one process.",
        discussion: """
        Uses the embedded in-memory queue and store, or with --mongo (or MONGODB_URI) the \
        MongoDB queue (`inbox`) and store (`tweets`, `aggregates`; a replica set, one node \
        is enough). The bearer token for a live stream comes \
        from X_BEARER_TOKEN or --bearer-token-file. After a replay ends the dashboard keeps \
        serving until Ctrl-C, unless --exit-when-done is given.
        """)

    @OptionGroup var source: SourceOptions
    @OptionGroup var processing: ProcessingOptions
    @Option(help: "Dashboard address to bind.")
    var host = "127.0.0.1"
    @Option(help: "Dashboard port.")
    var port = 8080
    @OptionGroup var mongo: MongoOptions
    @Flag(name: .customLong("exit-when-done"), help: "Exit once a replay is fully scored (for scripts and tests).")
    var exitWhenDone = false
    @Option(name: .customLong("stop-after"), help: "Exit after this many posts were recorded (live streams in tests).")
    var stopAfter: Int?
    @Option(help: "Write the final per-keyword totals as JSON to this file on exit.")
    var summary: String?

    func run() async throws {
        try await UserErrors.report(command: "pipeline", describe: PipelineUserErrors.describe) { try await execute() }
    }

    private func execute() async throws {
        try source.check()
        let logger = try LogSetup.bootstrap(label: "pipeline", level: processing.logLevel)
        let token = ProcessInfo.processInfo.environment["DASHBOARD_TOKEN"]
        let dashboard = DashboardConfiguration(host: host, port: port, accessToken: token)
        // Before any component exists: the listener's and consumers' metrics then show on
        // the dashboard's /metrics next to its own.
        MetricsEndpoint.bootstrap(registry: dashboard.metrics)
        let backends = try await PipelineBackends.open(mongo: mongo, logger: logger)
        let pipeline = try EmbeddedPipeline(processing: processing, spillPath: processing.spill,
                                            queue: backends.queue, store: backends.store, logger: logger)
        let app = try buildApplication(store: pipeline.store, configuration: dashboard, logger: logger)
        let url = "http://\(host):\(port)/"
        let sourceOptions = source
        let stopAfter = self.stopAfter
        let exitWhenDone = self.exitWhenDone || stopAfter != nil

        try await SignalCancellation.run {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.runService(gracefulShutdownSignals: []) }
                group.addTask { try await pipeline.consumers.run() }
                group.addTask { await pipeline.handoff.run() }
                Console.say("pipeline: dashboard at \(url) (engine \(pipeline.engine.name) \(pipeline.engine.version))")
                group.addTask {
                    try await PostSource(options: sourceOptions, logger: logger).run(handoff: pipeline.handoff, queue: pipeline.queue)
                    try await pipeline.waitUntilDrained()
                    let totals = pipeline.consumers.progress
                    Console.say("pipeline: feed finished: \(totals.recorded) posts recorded, \(totals.duplicates) duplicates")
                    if !exitWhenDone {
                        // Keep serving the dashboard until Ctrl-C.
                        try await Task.sleep(for: .seconds(1_000_000_000))
                    }
                }
                if let stopAfter {
                    group.addTask {
                        while pipeline.consumers.progress.recorded < stopAfter {
                            try await Task.sleep(for: .milliseconds(20))
                        }
                    }
                }
                // The first task to finish (feed done, --stop-after reached) ends the run.
                do {
                    try await group.next()
                } catch is CancellationError {}
                group.cancelAll()
                while !group.isEmpty {
                    do { try await group.next() } catch is CancellationError {} catch {
                        logger.debug("task ended with \(error)")
                    }
                }
            }
        }
        if let summary {
            try KeywordTotals.write(try await KeywordTotals.read(from: pipeline.store), to: summary)
        }
    }
}
