import CommandSupport
import Logging
import MongoKit
import MongoPipeline
import PipelineCore

/// The queue and store a consumer process works on.
struct ConsumerBackend {
    var queue: any TweetQueue
    var store: any SentimentStore

    /// Connects to MongoDB, checks it answers, and creates indexes (idempotent).
    static func open(uri: String, database: String, maxFailures: Int, logger: Logger) async throws -> ConsumerBackend {
        let client = try MongoClient(uri: uri, logger: logger)
        let db = client.database(client.defaultDatabaseName ?? database)
        do {
            try await client.ping()
        } catch {
            throw CommandFailure("cannot reach MongoDB at \(uri): \(error)")
        }
        let queue = MongoTweetQueue(database: db, configuration: .init(maxFailures: maxFailures), logger: logger)
        let store = MongoSentimentStore(database: db, logger: logger)
        try await queue.prepare()
        try await store.prepare()
        return ConsumerBackend(queue: queue, store: store)
    }
}
