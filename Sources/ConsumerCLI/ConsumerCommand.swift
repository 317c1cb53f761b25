import ArgumentParser
import Wiring
import Consumer
import Foundation
import Logging
import Sentiment
import ServiceLifecycle

/// `consumer`: scores queued posts into the store until SIGTERM/SIGINT.
@main
struct ConsumerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consumer",
        abstract: "Claims posts from the MongoDB inbox, scores them and records them with their aggregates.",
        discussion: """
        Works on the MongoDB given by --mongo, else $MONGODB_URI, else \(MongoOptions.localDefault) \
        (a replica set: each batch is recorded in a transaction). Stops gracefully on SIGTERM \
        or SIGINT: batches in flight are finished or handed back, then it exits 0.
        """
    )

    @OptionGroup var mongo: MongoOptions

    @Option(help: "Concurrent workers.")
    var workers = 2

    // ArgumentParser appends the values and the default (`EngineKind.default`).
    @Option(help: "Sentiment engine.")
    var engine = EngineKind.default

    @Option(help: "Posts per claimed batch.")
    var batch = 500

    @Option(help: "How long a claimed batch stays leased before it is redelivered (e.g. 60s, 500ms; plain number = seconds).")
    var lease = "60"

    @Option(help: "Failed attempts after which a post is dead-lettered.")
    var maxFailures = 5

    @Option(name: .customLong("score-languages"), help: ArgumentHelp(
        "Languages to score, as X's lang tags (e.g. en,und); posts in others are counted but labelled unscored.",
        discussion: "Default: the engine's languages (en for every shipped engine) and und (undetermined). Posts without a lang tag are scored."))
    var scoreLanguages: String?

    @OptionGroup var metrics: MetricsOptions

    @Option(help: "Log level: trace|debug|info|notice|warning|error|critical.")
    var logLevel = "info"

    func validate() throws {
        guard workers > 0 else { throw ValidationError("--workers must be at least 1") }
        guard batch > 0 else { throw ValidationError("--batch must be at least 1") }
        guard let leaseDuration = DurationText.parse(lease), leaseDuration > .zero else {
            throw ValidationError("--lease must be a positive duration such as 60s or 500ms")
        }
        guard maxFailures > 0 else { throw ValidationError("--max-failures must be at least 1") }
        if let scoreLanguages, LanguageGate.languages(parsing: scoreLanguages) == nil {
            throw ValidationError("--score-languages \(scoreLanguages) is not a comma-separated list of language tags like en,und")
        }
    }

    /// Signals are caught before flags are parsed: there is no moment when one kills us.
    static func main() async {
        ShutdownSignals.install()
        await main(nil)
    }

    func run() async throws {
        try await CommandFailure.reporting(command: "consumer") { try await consume() }
    }

    private func consume() async throws {
        let signals = ShutdownSignals.install()
        let logger = try LogSetup.bootstrap(label: "consumer", level: logLevel)
        let lifecycle = ProcessLifecycle(signals: signals, logger: logger)
        let metricsServer = metrics.endpoint(serverName: "consumer", logger: logger)
        let backend = try MongoBackend(uri: mongo.resolvedURI() ?? MongoOptions.localDefault, database: mongo.database,
                                       appName: "consumer", queue: .init(maxFailures: maxFailures), logger: logger)
        let engine = self.engine
        let configuration = ConsumerConfiguration(workers: workers, batchSize: batch,
                                                  lease: DurationText.parse(lease) ?? .seconds(60),
                                                  scoreLanguages: scoreLanguages.flatMap(LanguageGate.languages(parsing:)))
        // The metrics port is bound first; then the engine loads and MongoDB is prepared,
        // as startup a signal may interrupt (exit 0, nothing claimed); then the pool runs
        // until SIGTERM, finishing or releasing the batches in flight.
        let work = ClosureService {
            if let metricsServer { _ = try await metricsServer.port.value() }
            let scorer = try Result { try engine.makeEngine() }.mapError { CommandFailure("\($0)") }.get()
            try await backend.prepareAll()
            try await ConsumerPool(queue: backend.queue, store: backend.store, engine: scorer, recorder: backend.recorder,
                                   configuration: configuration, logger: logger).run()
        }
        var parts: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let metricsServer { parts.append(.runsUntilStopped(metricsServer)) }
        parts.append(.endsRun(work))
        try await lifecycle.run(parts)
    }
}

/// `--engine lexicon|bayes|hybrid`, defaulting to `EngineKind.default`.
extension EngineKind: ExpressibleByArgument {}
