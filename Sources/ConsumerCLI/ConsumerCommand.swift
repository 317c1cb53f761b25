import ArgumentParser
import Consumer
import Foundation
import Logging

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

    @Option(help: "Seconds a claimed batch stays leased before it is redelivered.")
    var lease = 60

    @Option(help: "Failed attempts after which a post is dead-lettered.")
    var maxFailures = 5

    @Option(help: "Log level: trace|debug|info|notice|warning|error|critical.")
    var logLevel = Logger.Level.info

    func validate() throws {
        guard workers > 0 else { throw ValidationError("--workers must be at least 1") }
        guard batch > 0 else { throw ValidationError("--batch must be at least 1") }
        guard lease > 0 else { throw ValidationError("--lease must be at least 1 second") }
        guard maxFailures > 0 else { throw ValidationError("--max-failures must be at least 1") }
    }

    func run() async throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "consumer")
        let scorer = try engine.makeEngine()
        let uri = mongo ?? ProcessInfo.processInfo.environment["MONGODB_URI"] ?? "mongodb://127.0.0.1:27017"
        let backend = try await ConsumerBackend.open(uri: uri, database: database, maxFailures: maxFailures,
                                                     logger: logger)
        let pool = ConsumerPool(queue: backend.queue, store: backend.store, engine: scorer,
                                configuration: ConsumerConfiguration(workers: workers, batchSize: batch,
                                                                     lease: .seconds(lease)),
                                logger: logger)
        try await SignalShutdown.run { try await pool.run() }
    }
}

extension EngineChoice: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
