import Logging
import MongoKit
import MongoStorage
import PipelineModel
import Storage

/// A service's MongoDB queue and store, on one client. Creating it does not connect:
/// each service decides whether MongoDB must answer at start (consumer, pipeline) or
/// may come later (listener spills, dashboard reports unhealthy).
public struct MongoBackend: Sendable {
    /// The `inboxBatches`/`inboxPosts` queue.
    public let queue: MongoTweetQueue
    /// The `tweets`/`aggregates` store.
    public let store: MongoSentimentStore
    /// Records a consumer's batch and acknowledges it in the queue, in one transaction.
    public var recorder: MongoBatchRecorder { MongoBatchRecorder(store: store, queue: queue) }
    /// The client both use.
    public let client: MongoClient
    /// The database both live in.
    public let databaseName: String
    /// The URI with `***` for its password, for messages.
    public let redactedURI: String

    /// Creates the client; a malformed URI is a user error (`CommandFailure`). The
    /// database is the one named in the URI, else `database`. Short timeouts are added to
    /// the URI unless it sets them (`MongoURI`).
    public init(uri: String, database: String, appName: String,
                queue queueConfiguration: MongoTweetQueue.Configuration = .init(), logger: Logger) throws {
        let connection = try MongoURI(uri)
        do {
            client = try MongoClient(connection: connection.connection, options: MongoClientOptions(appName: appName),
                                     logger: logger)
        } catch {
            throw CommandFailure("cannot use MongoDB at \(connection.redacted): the client pool could not be created")
        }
        databaseName = client.defaultDatabaseName.flatMap { $0.isEmpty ? nil : $0 } ?? database
        let db = client.database(databaseName)
        queue = MongoTweetQueue(database: db, configuration: queueConfiguration, logger: logger)
        store = MongoSentimentStore(database: db, logger: logger)
        redactedURI = connection.redacted
    }

    /// Creates the queue's indexes. The listener calls it and goes on if MongoDB is down
    /// (posts spill until it answers; consumers create the same indexes).
    public func prepareQueue() async throws {
        try await queue.prepare()
    }

    /// Checks the server answers, then creates the queue's and the store's indexes
    /// (idempotent); the store needs a replica set. Failures are one-line user errors.
    public func prepareAll() async throws {
        do {
            try await client.ping()
            try await queue.prepare()
            try await store.prepare()
        } catch {
            throw CommandFailure("cannot use MongoDB at \(redactedURI): \(error)")
        }
    }
}
