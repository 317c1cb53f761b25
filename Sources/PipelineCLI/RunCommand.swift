import HTTPServing
import ArgumentParser
import Wiring
import Consumer
import Dashboard
import Foundation
import Hummingbird
import Listener
import Logging
import PipelineModel
import Storage
import ServiceLifecycle
import Synchronization
import Alerts
import Alerting

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

        The dashboard port is bound first: a busy port is one line and exit 2, before \
        anything is read. `pipeline: dashboard at URL` is printed once the engine is loaded \
        (with the real port for --port 0). SIGINT/SIGTERM stop it at any moment (exit 0).

        Alerts: with --alert-webhook URL (repeatable), --alerts-config FILE or any \
        --alert-… flag, volume spikes and sentiment shifts are detected on the closed \
        minute buckets and their start and end POSTed as JSON to every webhook, with \
        retries (see README, Alerts).
        """)

    @OptionGroup var source: SourceOptions
    @OptionGroup var processing: ProcessingOptions
    @OptionGroup var state: StateOptions
    @Option(help: "Dashboard address to bind.")
    var host = "127.0.0.1"
    @Option(help: "Dashboard port (0 picks a free port).")
    var port = 8080
    @OptionGroup var mongo: MongoOptions
    @Flag(name: .customLong("exit-when-done"), help: "Exit once a replay is fully scored (for scripts and tests).")
    var exitWhenDone = false
    @Option(name: .customLong("stop-after"), help: "Exit after this many posts were recorded (live streams in tests).")
    var stopAfter: Int?
    @Option(help: "Write the final per-keyword totals as JSON to this file on exit.")
    var summary: String?
    @OptionGroup var alerting: AlertOptions
    @Option(name: .customLong("alert-webhook"), help: ArgumentHelp(
        "POST each alert's start and end as JSON to this URL (repeatable); turns detection on.", valueName: "url"))
    var alertWebhooks: [String] = []

    func validate() throws {
        for url in alertWebhooks {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
                  parsed.host?.isEmpty == false else {
                throw ValidationError("--alert-webhook \(url) is not an http:// or https:// URL")
            }
        }
    }

    func run() async throws {
        try await UserErrors.report(command: "pipeline", describe: PipelineUserErrors.describe) { try await execute() }
    }

    private func execute() async throws {
        let signals = ShutdownSignals.install()
        try source.check()
        let logger = try LogSetup.bootstrap(label: "pipeline", level: processing.logLevel)
        let lifecycle = ProcessLifecycle(signals: signals, logger: logger)
        let token = ProcessInfo.processInfo.environment["DASHBOARD_TOKEN"]
        let dashboard = DashboardConfiguration(host: host, port: port, accessToken: token)
        // Before any component exists: the listener's and consumers' metrics then show on
        // the dashboard's /metrics next to its own.
        MetricsEndpoint.bootstrap(registry: dashboard.metrics)
        let alertConfiguration = alerting.isGiven || !alertWebhooks.isEmpty ? try alerting.configuration() : nil
        let backends = try PipelineBackends.make(mongo: mongo, logger: logger, retention: processing.storeRetention)
        let alertStore: (any AlertStore)? = alertConfiguration == nil ? nil
            : try await backends.alertStore(stateDirectory: state.directory())
        let pipeline = try EmbeddedPipeline(processing: processing, spill: state.spillURL(service: "pipeline"),
                                            queue: backends.queue, store: backends.store, logger: logger)
        let bound = AwaitedValue<Int>()
        let server = ListeningServer(
            app: try buildApplication(store: pipeline.store, alerts: alertStore, configuration: dashboard, logger: logger,
                                      onServerRunning: bound.boundPortHook(requested: port)),
            port: bound, host: host, requestedPort: port)

        let host = self.host
        let sourceOptions = source
        let stateDirectory = state.directory()
        let stopAfter = self.stopAfter
        let exitWhenDone = self.exitWhenDone || stopAfter != nil
        let consumersBox = Mutex<ConsumerPool?>(nil)
        let webhooks = alertWebhooks
        let isReplay = !source.replay.isEmpty
        // Everything but the server: it starts once the port is bound, then prepares the
        // store, loads the engine and runs the pipeline's parts in their own group (shut
        // down source first, hand-off next, consumers last).
        let work = ClosureService {
            let port = try await bound.value()
            try await backends.prepare()
            // Subscribed before the first post is scored: detection sees every bucket.
            let detection: AlertDetection?
            if let alertConfiguration, let alertStore {
                try await backends.prepare(alerts: alertStore)
                detection = AlertDetection(changes: try await pipeline.store.changes(), store: alertStore,
                                           configuration: alertConfiguration, targets: webhooks,
                                           wallClockTick: isReplay ? nil : .seconds(10), logger: logger)
            } else {
                detection = nil
            }
            let engine = try pipeline.loadEngine()
            let consumers = pipeline.consumers(engine: engine)
            consumersBox.withLock { $0 = consumers }
            Console.say("pipeline: dashboard at http://\(host):\(port)/ (engine \(engine.name) \(engine.version))")
            let feed = try pipeline.feed(command: "pipeline", whenReplayScored: {
                let totals = consumers.progress
                // The replay's last minutes close now: nothing newer will come.
                await detection?.finish(afterPosts: totals.recorded)
                Console.say("pipeline: feed finished: \(totals.recorded) posts recorded, \(totals.duplicates) duplicates")
                if !exitWhenDone {
                    // Keep serving the dashboard until Ctrl-C.
                    try? await gracefulShutdown()
                }
            }, source: { finished in
                try sourceOptions.feed(handoff: pipeline.handoff, logger: logger, stateDirectory: stateDirectory,
                                       finished: finished)
            })
            // Delivery and detection start first and stop last: the outbox drains while the
            // feed and consumers shut down.
            var parts: [ServiceGroupConfiguration.ServiceConfiguration] = []
            if let alertStore, let detection {
                if !webhooks.isEmpty {
                    parts.append(.runsUntilStopped(WebhookDelivery(store: alertStore, logger: logger)))
                }
                parts.append(.runsUntilStopped(detection))
            }
            parts += [.runsUntilStopped(consumers), .runsUntilStopped(pipeline.handoff), .endsRun(feed)]
            if let stopAfter {
                parts.append(.endsRun(ClosureService {
                    try? await cancelWhenGracefulShutdown {
                        while consumers.progress.recorded < stopAfter {
                            try await Task.sleep(for: .milliseconds(20))
                        }
                    }
                }))
            }
            try await ServiceGroup(configuration: .init(services: parts, logger: logger)).run()
        }
        try await lifecycle.run([.runsUntilStopped(server), .endsRun(work)])

        if let summary, consumersBox.withLock({ $0 }) != nil {
            try KeywordTotals.write(try await KeywordTotals.read(from: pipeline.store), to: summary)
        }
    }
}
