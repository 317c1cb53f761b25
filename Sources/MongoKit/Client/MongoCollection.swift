import CMongoc
import Foundation

/// A collection of a ``MongoDatabase``; a cheap value, nothing is sent until an
/// operation. Every operation takes an optional ``MongoSession`` (transactions).
public struct MongoCollection: Sendable {
    /// The database holding the collection.
    public let database: MongoDatabase
    /// The collection name.
    public let name: String

    var client: MongoClient { database.client }

    /// Runs `body` on an executor thread with the `mongoc_collection_t` and the
    /// operation's options document (already carrying the session id, if any).
    func withCollection<T: Sendable>(
        session: MongoSession?,
        _ body: @escaping @Sendable (_ collection: OpaquePointer, _ options: inout BSONDocument) throws -> T
    ) async throws -> T {
        let databaseName = database.name
        let name = name
        return try await client.perform(session: session) { client in
            let collection = mongoc_client_get_collection(client, databaseName, name)!
            defer { mongoc_collection_destroy(collection) }
            var options = BSONDocument()
            try session?.append(to: &options)
            return try body(collection, &options)
        }
    }

    /// Drops the collection and its indexes (no error if it does not exist).
    public func drop(session: MongoSession? = nil) async throws {
        do {
            _ = try await database.runCommand(["drop": .string(name)], session: session)
        } catch let error as MongoError where error.code == 26 {
            // NamespaceNotFound: already gone.
        }
    }
}

/// Drains a cursor on the current (executor) thread, transforming each borrowed
/// document, then destroys the cursor.
func drainCursor<T>(_ cursor: OpaquePointer, _ transform: (OpaquePointer) throws -> T) throws -> [T] {
    defer { mongoc_cursor_destroy(cursor) }
    var results: [T] = []
    var document: OpaquePointer?
    while mongoc_cursor_next(cursor, &document) {
        results.append(try transform(document!))
    }
    var error = bson_error_t()
    var reply: OpaquePointer?
    if mongoc_cursor_error_document(cursor, &error, &reply) {
        throw MongoError(error, reply: reply.map { BSONDocument(copying: $0) })
    }
    return results
}

/// Decodes a borrowed document, reporting failures as ``MongoError/Kind/decoding``.
func decodeDocument<T: Decodable>(_ type: T.Type, _ bson: OpaquePointer) throws -> T {
    do {
        return try BSONDecoder().decode(type, from: bson)
    } catch let error as DecodingError {
        throw MongoError(kind: .decoding, message: "cannot decode \(T.self): \(error.readableDescription)")
    }
}

extension DecodingError {
    /// Path and explanation on one line.
    var readableDescription: String {
        let context: Context
        switch self {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c): context = c
        @unknown default: return "\(self)"
        }
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
    }
}
