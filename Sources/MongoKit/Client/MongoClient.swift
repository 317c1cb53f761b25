import CMongoc
import Foundation
import Logging

/// Settings of a ``MongoClient``.
public struct MongoClientOptions: Sendable {
    /// Dedicated threads running libmongoc's blocking calls: the number of operations
    /// that can be in flight at once.
    public var threadCount: Int
    /// Connections the pool may open; at least `threadCount`, plus one for each open
    /// session or change stream (they hold a connection while they live).
    public var maxPoolSize: Int
    /// Application name sent to the server (shows in its logs).
    public var appName: String?

    /// Defaults: 8 threads, a pool of 32.
    public init(threadCount: Int = 8, maxPoolSize: Int = 32, appName: String? = nil) {
        self.threadCount = threadCount
        self.maxPoolSize = max(maxPoolSize, threadCount)
        self.appName = appName
    }
}

/// libmongoc needs `mongoc_init()` once per process before any other call. Its log
/// lines (stderr by default) go to swift-log instead, under the label `mongoc`, from the
/// first one on (the handler is set before `mongoc_init`).
///
/// Its shared-memory counters (`/dev/shm/mongoc-<pid>`, read only by the `mongoc-stat`
/// tool) are turned off: a process that dies by SIGKILL leaves its file behind, and a
/// later process given the same pid then printed "Falling back to malloc for counters"
/// on stderr at startup, breaking the one-line error rule at random.
let mongocInitialized: Void = {
    setenv("MONGOC_DISABLE_SHM", "1", 1)
    mongoc_log_set_handler({ level, domain, message, _ in
        let text = "\(domain.map { String(cString: $0) } ?? "mongoc"): \(message.map { String(cString: $0) } ?? "")"
        switch level {
        case MONGOC_LOG_LEVEL_ERROR, MONGOC_LOG_LEVEL_CRITICAL: mongocLogger.error("\(text)")
        // After a write conflict the server has already ended the transaction, so the
        // abort every driver sends then is refused; libmongoc warns about it on each
        // retried conflict, which is routine under concurrent consumers.
        case MONGOC_LOG_LEVEL_WARNING where text.contains("Error in abortTransaction"): mongocLogger.debug("\(text)")
        case MONGOC_LOG_LEVEL_WARNING: mongocLogger.warning("\(text)")
        case MONGOC_LOG_LEVEL_MESSAGE, MONGOC_LOG_LEVEL_INFO: mongocLogger.info("\(text)")
        case MONGOC_LOG_LEVEL_DEBUG: mongocLogger.debug("\(text)")
        default: mongocLogger.trace("\(text)")
        }
    }, nil)
    mongoc_init()
}()

private let mongocLogger = Logger(label: "mongoc")

/// A connection pool to one MongoDB deployment, shared by every task of the process.
///
/// All operations are `async` and run libmongoc's blocking calls on the client's own
/// threads (never on Swift's cooperative pool). Create one per process and per URI;
/// `serverSelectionTimeoutMS` in the URI bounds how long an operation waits for an
/// unreachable server before it throws ``MongoError/Kind/unreachable``.
public final class MongoClient: @unchecked Sendable {
    // Sendable invariant: `pool` is libmongoc's thread-safe client pool. A
    // `mongoc_client_t` is single-threaded: each is popped by one executor thread for
    // one operation and pushed back, or owned by one session/change stream that
    // serialises its use. `uri` is immutable after init.
    let pool: OpaquePointer
    private let uri: OpaquePointer
    let executor: BlockingExecutor
    /// Where the client logs pool lifecycle events.
    public let logger: Logger
    /// The database named in the URI path, if any.
    public let defaultDatabaseName: String?

    /// Parses `uri` and creates the pool; no connection is made until the first operation.
    public convenience init(uri uriString: String, options: MongoClientOptions = MongoClientOptions(),
                            logger: Logger = Logger(label: "MongoKit")) throws {
        _ = mongocInitialized
        try self.init(connection: MongoConnectionString(uriString), options: options, logger: logger)
    }

    /// Creates the pool for an already parsed connection string (its options included);
    /// no connection is made until the first operation.
    public init(connection: MongoConnectionString, options: MongoClientOptions = MongoClientOptions(),
                logger: Logger = Logger(label: "MongoKit")) throws {
        _ = mongocInitialized
        var error = bson_error_t()
        guard let uri = mongoc_uri_copy(connection.uri) else {
            throw MongoError.invalidArgument("cannot copy the MongoDB URI")
        }
        guard let pool = mongoc_client_pool_new_with_error(uri, &error) else {
            mongoc_uri_destroy(uri)
            throw MongoError.invalidArgument("cannot create a client pool: \(error.messageString)")
        }
        // Error API 2 reports server errors in the MONGOC_ERROR_SERVER domain with the
        // server's own codes (11000, 112, …), which MongoError classifies.
        mongoc_client_pool_set_error_api(pool, 2)
        mongoc_client_pool_max_size(pool, UInt32(options.maxPoolSize))
        if let appName = options.appName { mongoc_client_pool_set_appname(pool, appName) }
        self.uri = uri
        self.pool = pool
        self.logger = logger
        defaultDatabaseName = mongoc_uri_get_database(uri).map { String(cString: $0) }
        executor = BlockingExecutor(threadCount: options.threadCount, name: "mongokit")
        logger.debug("MongoDB client pool created", metadata: [
            "threads": "\(options.threadCount)", "maxPoolSize": "\(options.maxPoolSize)"])
    }

    deinit {
        // Every job and session holds a strong reference, so none is running now.
        executor.shutdown()
        mongoc_client_pool_destroy(pool)
        mongoc_uri_destroy(uri)
    }

    /// A handle to database `name` (nothing is sent to the server).
    public func database(_ name: String) -> MongoDatabase {
        MongoDatabase(client: self, name: name)
    }

    /// Runs `{ping: 1}` against `admin`; throws ``MongoError/Kind/unreachable`` if no
    /// server answers within the server-selection timeout.
    public func ping() async throws {
        _ = try await database("admin").runCommand(["ping": 1])
    }

    /// Runs `body` on an executor thread with a client: the session's own client if
    /// given (serialised by the session), else one popped from the pool.
    func perform<T: Sendable>(session: MongoSession?,
                              _ body: @escaping @Sendable (OpaquePointer) throws -> T) async throws -> T {
        if let session { try session.checkOwner(self) }
        return try await executor.run { [self] in
            if let session { return try session.withClient(body) }
            let client = mongoc_client_pool_pop(pool)!
            defer { mongoc_client_pool_push(pool, client) }
            return try body(client)
        }
    }
}
