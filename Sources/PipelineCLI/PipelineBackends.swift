import ServiceSupport
import Logging
import PipelineCore

/// The queue and store of a one-process pipeline: the embedded in-memory pair, or
/// MongoDB's `inbox` and `tweets`/`aggregates` when a URI is given.
struct PipelineBackends {
    let queue: any TweetQueue
    let store: any SentimentStore
    let isMongo: Bool

    /// Opens MongoDB when `mongo` resolves to a URI, else the in-memory pair whose store
    /// keeps `retention` (`ProcessingOptions.storeRetention`; nil keeps everything).
    static func open(mongo: MongoOptions, logger: Logger,
                     retention: Duration? = InMemorySentimentStore.Configuration.defaultRetention)
        async throws -> PipelineBackends {
        try await open(mongo: mongo, logger: logger,
                       inMemoryStore: InMemorySentimentStore(configuration: .init(retention: retention)))
    }

    /// Opens MongoDB when `mongo` resolves to a URI (it must answer now: the store is
    /// needed from the first scored post), else the in-memory queue and `inMemoryStore`.
    static func open(mongo: MongoOptions, logger: Logger, inMemoryStore: @autoclosure () -> any SentimentStore)
        async throws -> PipelineBackends {
        guard let uri = mongo.resolvedURI() else {
            return PipelineBackends(queue: InMemoryTweetQueue(), store: inMemoryStore(), isMongo: false)
        }
        let backend = try MongoBackend(uri: uri, database: mongo.database, appName: "pipeline", logger: logger)
        try await backend.prepareAll()
        logger.notice("on MongoDB", metadata: ["uri": "\(backend.redactedURI)", "database": "\(backend.databaseName)"])
        return PipelineBackends(queue: backend.queue, store: backend.store, isMongo: true)
    }
}
