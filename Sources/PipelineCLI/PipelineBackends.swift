import Foundation
import Wiring
import Logging
import PipelineModel
import Storage
import MongoStorage

/// The queue and store of a one-process pipeline: the embedded in-memory pair, or
/// MongoDB's `inbox` and `tweets`/`aggregates` when a URI is given.
struct PipelineBackends: Sendable {
    let queue: any TweetQueue
    let store: any SentimentStore
    let isMongo: Bool
    private let mongo: MongoBackend?
    private let logger: Logger

    /// The MongoDB pair when `mongo` resolves to a URI, else the in-memory pair whose store
    /// keeps `retention` (`ProcessingOptions.storeRetention`; nil keeps everything).
    static func make(mongo: MongoOptions, logger: Logger,
                     retention: Duration? = InMemorySentimentStore.Configuration.defaultRetention)
        throws -> PipelineBackends {
        try make(mongo: mongo, logger: logger,
                 inMemoryStore: InMemorySentimentStore(configuration: .init(retention: retention)))
    }

    /// The MongoDB pair when `mongo` resolves to a URI, else the in-memory queue and
    /// `inMemoryStore`. Does no I/O (a malformed URI is a user error at once); `prepare`
    /// connects.
    static func make(mongo: MongoOptions, logger: Logger, inMemoryStore: @autoclosure () -> any SentimentStore)
        throws -> PipelineBackends {
        guard let uri = mongo.resolvedURI() else {
            return PipelineBackends(queue: InMemoryTweetQueue(), store: inMemoryStore(), isMongo: false,
                                    mongo: nil, logger: logger)
        }
        let backend = try MongoBackend(uri: uri, database: mongo.database, appName: "pipeline", logger: logger)
        return PipelineBackends(queue: backend.queue, store: backend.store, isMongo: true, mongo: backend, logger: logger)
    }

    /// Where alerts and their outbox live: MongoDB's `alerts` and `alertOutbox` next to the
    /// store, else a journal in the state folder (`alerts.jsonl`); either way an alert
    /// detected before a crash is delivered after the restart.
    func alertStore(stateDirectory: URL) async throws -> any AlertStore {
        guard let mongo else {
            return try await JournaledAlertStore.open(stateDirectory.appendingPathComponent("alerts.jsonl"), logger: logger)
        }
        return MongoAlertStore(database: mongo.client.database(mongo.databaseName), logger: logger)
    }

    /// Creates the alert collections' indexes on MongoDB; nothing in memory.
    func prepare(alerts: any AlertStore) async throws {
        try await (alerts as? MongoAlertStore)?.prepare()
    }

    /// On MongoDB: checks it answers now (the store is needed from the first scored post)
    /// and creates the indexes; a one-line user error when it cannot. Nothing in memory.
    func prepare() async throws {
        guard let mongo else { return }
        try await mongo.prepareAll()
        logger.notice("on MongoDB", metadata: ["uri": "\(mongo.redactedURI)", "database": "\(mongo.databaseName)"])
    }
}
