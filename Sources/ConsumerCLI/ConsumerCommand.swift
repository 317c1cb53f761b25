import ArgumentParser
import CommandSupport
import Consumer
import Foundation
import Logging
import MetricsEndpoint
import Prometheus

/// `consumer`: scores queued posts into the store until SIGTERM/SIGINT.
@main
struct ConsumerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consumer",
        abstract: "Claims posts from the MongoDB inbox, scores them and records them with their aggregates.",
        discussion: "Stops gracefully on SIGTERM or SIGINT: batches in flight are finished or handed back, then it exits 0."
    )

    @Option(help: "MongoDB URI (a replica set: transactions are needed). Default: $MONGODB_URI, else mongodb://127.0.0.1:27017.")
    var mongo: String?

    @Option(help: "Database, when the URI names none.")
    var database = "sentiment"

    @Option(help: "Concurrent workers.")
    var workers = 2

    @Option(help: "Sentiment engine: \(EngineChoice.allCases.map(\.rawValue).joined(separator: "|")).")
    var engine = EngineChoice.lexicon

    @Option(help: "Posts per claimed batch.")
    var batch = 500

    @Option(help: "How long a claimed batch stays leased before it is redelivered (e.g. 60s, 500ms; plain number = seconds).")
    var lease = "60"

    @Option(help: "Failed attempts after which a post is dead-lettered.")
    var maxFailures = 5

    @Option(help: "Serve Prometheus metrics on this port (/metrics, /healthz); off when absent.")
    var metricsPort: Int?

    @Option(help: "Address the metrics endpoint listens on.")
    var metricsHost = "127.0.0.1"

    @Option(help: "Log level: trace|debug|info|notice|warning|error|critical.")
    var logLevel = "info"

    func validate() throws {
        guard workers > 0 else { throw ValidationError("--workers must be at least 1") }
        guard batch > 0 else { throw ValidationError("--batch must be at least 1") }
        guard let leaseDuration = DurationText.parse(lease), leaseDuration > .zero else {
            throw ValidationError("--lease must be a positive duration such as 60s or 500ms")
        }
        guard maxFailures > 0 else { throw ValidationError("--max-failures must be at least 1") }
        if let metricsPort, !(1...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be 1…65535")
        }
    }

    func run() async throws {
        do {
            try await consume()
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("consumer: \(failure)\n".utf8))
            throw ExitCode(2)
        }
    }

    private func consume() async throws {
        let registry = PrometheusCollectorRegistry()
        if metricsPort != nil { MetricsEndpoint.bootstrap(registry: registry) }
        let logger = try LogSetup.bootstrap(label: "consumer", level: logLevel)
        let scorer = try Result { try engine.makeEngine() }.mapError { CommandFailure("\($0)") }.get()
        let uri = mongo ?? ProcessInfo.processInfo.environment["MONGODB_URI"] ?? "mongodb://127.0.0.1:27017"
        let backend = try await ConsumerBackend.open(uri: uri, database: database, maxFailures: maxFailures,
                                                     logger: logger)
        let pool = ConsumerPool(queue: backend.queue, store: backend.store, engine: scorer,
                                configuration: ConsumerConfiguration(workers: workers, batchSize: batch,
                                                                     lease: DurationText.parse(lease) ?? .seconds(60)),
                                logger: logger)
        let metricsPort = metricsPort
        let metricsHost = metricsHost
        try await SignalCancellation.run {
            try await withThrowingTaskGroup(of: Void.self) { group in
                if let metricsPort {
                    group.addTask {
                        try await MetricsEndpoint.serve(registry: registry, host: metricsHost, port: metricsPort,
                                                        serverName: "consumer", logger: logger)
                    }
                }
                group.addTask { try await pool.run() }
                // The pool returns once cancelled (SIGTERM) and its batches are settled;
                // then the metrics endpoint goes too.
                try await group.next()
                group.cancelAll()
            }
        }
    }
}

extension EngineChoice: ExpressibleByArgument {}
