import CMongoc
import Foundation

/// A database of a ``MongoClient``; a cheap value, nothing is sent until an operation.
public struct MongoDatabase: Sendable {
    /// The client this database belongs to.
    public let client: MongoClient
    /// The database name.
    public let name: String

    /// A handle to collection `name`.
    public func collection(_ name: String) -> MongoCollection {
        MongoCollection(database: self, name: name)
    }

    /// Runs a database command (e.g. `["ping": 1]`, `["secantusAdmin.pruneTtl": 1]`)
    /// and returns the server's reply; throws if the reply has `ok: 0`.
    public func runCommand(_ command: BSONDocument, session: MongoSession? = nil) async throws -> BSONDocument {
        let name = name
        return try await client.perform(session: session) { client in
            var opts = BSONDocument()
            try session?.append(to: &opts)
            var error = bson_error_t()
            let (ok, reply) = BSONDocument.receiving {
                mongoc_client_command_with_opts(client, name, command.pointer, nil, opts.pointer, $0, &error)
            }
            guard ok else { throw MongoError(error, reply: reply) }
            return reply
        }
    }

    /// Drops the whole database (no error if it does not exist).
    public func drop() async throws {
        _ = try await runCommand(["dropDatabase": 1])
    }

    /// Names of the database's collections.
    public func collectionNames() async throws -> [String] {
        let reply = try await runCommand(["listCollections": 1, "nameOnly": true])
        guard let batch = reply["cursor"]?.documentValue?["firstBatch"]?.arrayValue else { return [] }
        return batch.compactMap { $0.documentValue?["name"]?.stringValue }
    }
}
