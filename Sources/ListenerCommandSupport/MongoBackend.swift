import CommandSupport
import Logging
import MongoKit
import MongoPipeline
import PipelineCore

/// The MongoDB queue and store of a listener or pipeline process, on one client.
public struct MongoBackend: Sendable {
    /// The `inbox` queue.
    public let queue: MongoTweetQueue
    /// The `tweets`/`aggregates` store.
    public let store: MongoSentimentStore
    /// The database both live in.
    public let databaseName: String
    /// The URI without credentials, for messages.
    public let redactedURI: String

    /// Creates the client (no connection yet). A malformed URI is a user error.
    /// The database is the one named in the URI, else `database`.
    public init(uri: String, database: String, logger: Logger) throws {
        let connection = MongoURI(uri)
        let client: MongoClient
        do {
            client = try MongoClient(uri: connection.value, options: MongoClientOptions(appName: "sentiment-pipeline"),
                                     logger: logger)
        } catch {
            throw CommandFailure("--mongo \(connection.redacted) is not a valid MongoDB URI")
        }
        databaseName = client.defaultDatabaseName.flatMap { $0.isEmpty ? nil : $0 } ?? database
        let db = client.database(databaseName)
        queue = MongoTweetQueue(database: db, logger: logger)
        store = MongoSentimentStore(database: db, logger: logger)
        redactedURI = connection.redacted
    }

    /// Creates the queue's indexes. The listener calls it and goes on if MongoDB is down
    /// (posts spill until it answers; consumers create the same indexes).
    public func prepareQueue() async throws {
        try await queue.prepare()
    }

    /// Creates the queue's and the store's indexes; the store needs a replica set.
    public func prepareAll() async throws {
        try await queue.prepare()
        try await store.prepare()
    }
}
