import CMongoc
import Foundation
import Synchronization

/// Changes to a collection as an `AsyncSequence`, from ``MongoCollection/watch(_:options:)``.
///
/// The stream owns one pooled connection and one dedicated thread that waits on the
/// server, so it never blocks the cooperative pool. Iteration ends (returns nil) when
/// the iterating task is cancelled or the stream is closed; server errors throw.
/// ``resumeToken`` always holds the latest position, also while no events arrive, so
/// a new stream opened with `resumeAfter:` that token continues without gaps.
public final class ChangeStream: AsyncSequence, @unchecked Sendable {
    public typealias Element = ChangeEvent

    // Sendable invariant: `stream`, `collection` and `client` are used only by jobs of
    // `thread` (a single thread, so one at a time) or in deinit. The rest is in `state`.
    private let owner: MongoClient
    private let thread: BlockingExecutor
    private let client: OpaquePointer
    private let collection: OpaquePointer
    private let stream: OpaquePointer
    private let state: Mutex<State>

    /// What `resumeToken` and `close()` share with the waiting thread.
    private struct State {
        /// The position after the last event delivered.
        var latestToken: BSONDocument?
        /// Set once by `close()` (or a failed open); the connection is then released.
        var closed = false
    }

    /// Opens the stream on `thread` (blocking call: sends the `$changeStream` aggregate).
    init(owner: MongoClient, thread: BlockingExecutor, database: String, collection name: String,
         pipeline: BSONDocument, options: BSONDocument) throws {
        self.owner = owner
        self.thread = thread
        state = Mutex(State())
        client = mongoc_client_pool_pop(owner.pool)!
        collection = mongoc_client_get_collection(client, database, name)!
        stream = mongoc_collection_watch(collection, pipeline.pointer, options.pointer)!
        var error = bson_error_t()
        var reply: OpaquePointer?
        if mongoc_change_stream_error_document(stream, &error, &reply) {
            let failure = MongoError(error, reply: reply.map { BSONDocument(copying: $0) })
            release()
            state.withLock { $0.closed = true }
            throw failure
        }
        let token = mongoc_change_stream_get_resume_token(stream).map { BSONDocument(copying: $0) }
        state.withLock { $0.latestToken = token }
    }

    deinit {
        if !state.withLock({ $0.closed }) { release() }
        thread.shutdown()
    }

    private func release() {
        mongoc_change_stream_destroy(stream)
        mongoc_collection_destroy(collection)
        mongoc_client_pool_push(owner.pool, client)
    }

    /// The position after the last event delivered (or the server's latest position
    /// when none was); nil before the server gave one.
    public var resumeToken: BSONDocument? {
        state.withLock { $0.latestToken }
    }

    /// The next change; nil once the task is cancelled or the stream closed.
    public func next() async throws -> ChangeEvent? {
        let cancellation = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await thread.run { [self] in try self.waitForNext(cancellation) }
        } onCancel: {
            cancellation.set()
        }
    }

    /// Polls the server (each poll waits up to maxAwaitTime) until an event, an error,
    /// cancellation or close.
    private func waitForNext(_ cancellation: CancellationFlag) throws -> ChangeEvent? {
        while !cancellation.isSet {
            if state.withLock({ $0.closed }) { return nil }
            var document: OpaquePointer?
            let received = mongoc_change_stream_next(stream, &document)
            let event = received ? ChangeEvent(BSONDocument(copying: document!)) : nil
            let token = mongoc_change_stream_get_resume_token(stream).map { BSONDocument(copying: $0) }
            if let token { state.withLock { $0.latestToken = token } }
            if let event { return event }
            var error = bson_error_t()
            var reply: OpaquePointer?
            if mongoc_change_stream_error_document(stream, &error, &reply) {
                throw MongoError(error, reply: reply.map { BSONDocument(copying: $0) })
            }
        }
        return nil
    }

    /// Closes the server cursor and returns the connection; later `next()` calls return nil.
    public func close() async {
        _ = try? await thread.run { [self] in
            let wasClosed = state.withLock { state in
                defer { state.closed = true }
                return state.closed
            }
            if !wasClosed { release() }
        }
    }

    /// Iterates the stream.
    public func makeAsyncIterator() -> Iterator { Iterator(stream: self) }

    /// Iterator over a ``ChangeStream``.
    public struct Iterator: AsyncIteratorProtocol {
        let stream: ChangeStream

        /// The next change; nil once the task is cancelled or the stream closed.
        public mutating func next() async throws -> ChangeEvent? { try await stream.next() }
    }
}

/// A flag set from a cancellation handler and read by a blocking loop.
final class CancellationFlag: Sendable {
    private let value = Mutex(false)

    var isSet: Bool {
        value.withLock { $0 }
    }

    func set() {
        value.withLock { $0 = true }
    }
}

extension MongoCollection {
    /// Opens a change stream on this collection, filtered by `pipeline` (e.g.
    /// `[["$match": ["operationType": "insert"]]]`). Events that happen after this
    /// returns are delivered.
    public func watch(_ pipeline: [BSONDocument] = [], options: ChangeStreamOptions = ChangeStreamOptions()) async throws -> ChangeStream {
        let client = client
        let thread = BlockingExecutor(threadCount: 1, name: "mongokit-watch")
        let stages: BSONDocument = ["pipeline": .array(pipeline.map { .document($0) })]
        let optionsDocument = options.document
        let databaseName = database.name
        let name = name
        do {
            return try await thread.run {
                try ChangeStream(owner: client, thread: thread, database: databaseName, collection: name,
                                 pipeline: stages, options: optionsDocument)
            }
        } catch {
            thread.shutdown()
            throw error
        }
    }
}
