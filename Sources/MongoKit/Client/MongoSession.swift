import CMongoc
import Foundation
import Synchronization

/// A client session, as handed to the body of ``MongoClient/withTransaction(_:)``.
/// Pass it to operations (`session:`) to run them inside the transaction.
///
/// A session owns one pooled connection while it lives. Operations of one session are
/// serialised; run them one after another, as transactions require anyway.
public final class MongoSession: @unchecked Sendable {
    // Sendable invariant: `client` and `session` are used only while holding `ended`'s
    // lock, on the owner's executor threads (or in deinit, when nothing else can).
    let owner: MongoClient
    private let client: OpaquePointer
    private let session: OpaquePointer
    /// Whether the session was ended; its lock also serialises every use of the connection.
    private let ended = Mutex(false)

    /// Pops a connection and starts a session on it (runs on an executor thread).
    init(owner: MongoClient) throws {
        self.owner = owner
        client = mongoc_client_pool_pop(owner.pool)!
        var error = bson_error_t()
        guard let session = mongoc_client_start_session(client, nil, &error) else {
            mongoc_client_pool_push(owner.pool, client)
            throw MongoError(error)
        }
        self.session = session
    }

    deinit {
        if !ended.withLock({ $0 }) {
            mongoc_client_session_destroy(session)
            mongoc_client_pool_push(owner.pool, client)
        }
    }

    func checkOwner(_ client: MongoClient) throws {
        guard client === owner else {
            throw MongoError.invalidArgument("a session can only be used with the client that started it")
        }
    }

    /// Runs `body` with the session's connection, exclusively.
    func withClient<T: Sendable>(_ body: (OpaquePointer) throws -> T) throws -> T {
        try ended.withLock { ended in
            guard !ended else { throw MongoError.closedError }
            return try body(client)
        }
    }

    /// Adds `sessionId` (and transaction fields) to an operation's options.
    func append(to options: inout BSONDocument) throws {
        var error = bson_error_t()
        guard mongoc_client_session_append(session, options.mutablePointer, &error) else {
            throw MongoError(error)
        }
    }

    /// True while a transaction is open.
    public var inTransaction: Bool {
        ended.withLock { ended in !ended && mongoc_client_session_in_transaction(session) }
    }

    func startTransaction() async throws {
        try await owner.executor.run { [self] in
            try withClient { _ in
                var error = bson_error_t()
                guard mongoc_client_session_start_transaction(session, nil, &error) else { throw MongoError(error) }
            }
        }
    }

    func commitTransaction() async throws {
        try await owner.executor.run { [self] in
            try withClient { _ in
                var error = bson_error_t()
                let (ok, reply) = BSONDocument.receiving {
                    mongoc_client_session_commit_transaction(session, $0, &error)
                }
                guard ok else { throw MongoError(error, reply: reply) }
            }
        }
    }

    /// Aborts the open transaction, if any; abort failures are ignored (the server
    /// discards the transaction anyway when it times out).
    func abortTransaction() async {
        _ = try? await owner.executor.run { [self] in
            try withClient { _ in
                if mongoc_client_session_in_transaction(session) {
                    _ = mongoc_client_session_abort_transaction(session, nil)
                }
            }
        }
    }

    /// Ends the session and returns its connection to the pool.
    func end() async {
        _ = try? await owner.executor.run { [self] in
            ended.withLock { ended in
                guard !ended else { return }
                ended = true
                mongoc_client_session_destroy(session)
                mongoc_client_pool_push(owner.pool, client)
            }
        }
    }
}
