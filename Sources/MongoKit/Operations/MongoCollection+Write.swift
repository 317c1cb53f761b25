import CMongoc
import Foundation

private let upsertOptions: BSONDocument = ["upsert": true]

extension MongoCollection {
    /// Inserts `documents` unordered: documents whose unique key already exists are
    /// skipped and reported in ``InsertManyResult/duplicateIndices``; the others are
    /// stored. Any other write failure throws (with every per-document error).
    public func insertMany(_ documents: [BSONDocument], session: MongoSession? = nil) async throws -> InsertManyResult {
        let result = try await bulkWrite(documents.map { .insertOne($0) }, ordered: false, session: session)
        return InsertManyResult(insertedCount: result.insertedCount, duplicateIndices: result.duplicateKeyIndices)
    }

    /// Encodes `values` with ``BSONEncoder`` and inserts them like ``insertMany(_:session:)``.
    public func insertMany<T: Encodable>(_ values: [T], session: MongoSession? = nil) async throws -> InsertManyResult {
        let encoder = BSONEncoder()
        return try await insertMany(try values.map { try encoder.encode($0) }, session: session)
    }

    /// Inserts one document; throws ``MongoError/Kind/duplicateKey`` if its key exists.
    public func insertOne(_ document: BSONDocument, session: MongoSession? = nil) async throws {
        let result = try await insertMany([document], session: session)
        if !result.duplicateIndices.isEmpty {
            throw MongoError(kind: .duplicateKey, code: 11000, message: "duplicate key inserting into \(name)")
        }
    }

    /// Encodes and inserts one value.
    public func insertOne<T: Encodable>(_ value: T, session: MongoSession? = nil) async throws {
        try await insertOne(try BSONEncoder().encode(value), session: session)
    }

    /// Sends many operations as one bulk write (libmongoc splits it into batches the
    /// server accepts). Unordered bulks apply every operation they can: duplicate-key
    /// failures are returned in ``BulkWriteResult/writeErrors``; any other failure
    /// throws a ``MongoError`` carrying all write errors.
    public func bulkWrite(_ models: [WriteModel], ordered: Bool = false,
                          session: MongoSession? = nil) async throws -> BulkWriteResult {
        guard !models.isEmpty else { return BulkWriteResult() }
        let name = name
        return try await withCollection(session: session) { collection, options in
            options.append("ordered", .bool(ordered))
            let bulk = mongoc_collection_create_bulk_operation_with_opts(collection, options.pointer)!
            defer { mongoc_bulk_operation_destroy(bulk) }
            var error = bson_error_t()
            for model in models {
                let added: Bool
                switch model {
                case .insertOne(let document):
                    added = mongoc_bulk_operation_insert_with_opts(bulk, document.pointer, nil, &error)
                case .updateOne(let filter, let update, let upsert):
                    added = mongoc_bulk_operation_update_one_with_opts(
                        bulk, filter.pointer, update.pointer, upsert ? upsertOptions.pointer : nil, &error)
                case .updateMany(let filter, let update, let upsert):
                    added = mongoc_bulk_operation_update_many_with_opts(
                        bulk, filter.pointer, update.pointer, upsert ? upsertOptions.pointer : nil, &error)
                case .replaceOne(let filter, let replacement, let upsert):
                    added = mongoc_bulk_operation_replace_one_with_opts(
                        bulk, filter.pointer, replacement.pointer, upsert ? upsertOptions.pointer : nil, &error)
                case .deleteOne(let filter):
                    added = mongoc_bulk_operation_remove_one_with_opts(bulk, filter.pointer, nil, &error)
                case .deleteMany(let filter):
                    added = mongoc_bulk_operation_remove_many_with_opts(bulk, filter.pointer, nil, &error)
                }
                guard added else { throw MongoError(error) }
            }
            let (serverId, reply) = BSONDocument.receiving { mongoc_bulk_operation_execute(bulk, $0, &error) }
            let result = BulkWriteResult(reply: reply)
            guard serverId == 0 else { return result }
            let writeConcernFailed = !(reply["writeConcernErrors"]?.arrayValue ?? []).isEmpty
            let fatal = result.writeErrors.filter { !$0.isDuplicateKey }
            if result.writeErrors.isEmpty || writeConcernFailed || (ordered && !result.writeErrors.isEmpty) {
                throw MongoError(error, reply: reply)
            }
            if let first = fatal.first {
                throw MongoError(kind: .commandFailed, code: first.code,
                                 message: "bulk write to \(name) failed: \(fatal.map(\.description).joined(separator: "; "))",
                                 labels: MongoError.labels(in: reply), writeErrors: result.writeErrors)
            }
            return result
        }
    }

    /// Updates the first document matching `filter`.
    public func updateOne(filter: BSONDocument, update: BSONDocument, upsert: Bool = false,
                          session: MongoSession? = nil) async throws -> UpdateResult {
        try await performUpdate(filter: filter, update: update, upsert: upsert, many: false, session: session)
    }

    /// Updates every document matching `filter`.
    public func updateMany(filter: BSONDocument, update: BSONDocument, upsert: Bool = false,
                           session: MongoSession? = nil) async throws -> UpdateResult {
        try await performUpdate(filter: filter, update: update, upsert: upsert, many: true, session: session)
    }

    private func performUpdate(filter: BSONDocument, update: BSONDocument, upsert: Bool, many: Bool,
                        session: MongoSession?) async throws -> UpdateResult {
        try await withCollection(session: session) { collection, options in
            if upsert { options.append("upsert", true) }
            var error = bson_error_t()
            let (ok, reply) = BSONDocument.receiving { reply in
                many ? mongoc_collection_update_many(collection, filter.pointer, update.pointer, options.pointer, reply, &error)
                     : mongoc_collection_update_one(collection, filter.pointer, update.pointer, options.pointer, reply, &error)
            }
            guard ok else { throw MongoError(error, reply: reply) }
            return UpdateResult(matchedCount: reply["matchedCount"]?.intValue ?? 0,
                                modifiedCount: reply["modifiedCount"]?.intValue ?? 0,
                                upsertedId: reply["upsertedId"])
        }
    }

    /// Deletes every document matching `filter`; returns how many.
    @discardableResult
    public func deleteMany(_ filter: BSONDocument, session: MongoSession? = nil) async throws -> Int {
        try await performDelete(filter, many: true, session: session)
    }

    /// Deletes the first document matching `filter`; returns 0 or 1.
    @discardableResult
    public func deleteOne(_ filter: BSONDocument, session: MongoSession? = nil) async throws -> Int {
        try await performDelete(filter, many: false, session: session)
    }

    private func performDelete(_ filter: BSONDocument, many: Bool, session: MongoSession?) async throws -> Int {
        try await withCollection(session: session) { collection, options in
            var error = bson_error_t()
            let (ok, reply) = BSONDocument.receiving { reply in
                many ? mongoc_collection_delete_many(collection, filter.pointer, options.pointer, reply, &error)
                     : mongoc_collection_delete_one(collection, filter.pointer, options.pointer, reply, &error)
            }
            guard ok else { throw MongoError(error, reply: reply) }
            return reply["deletedCount"]?.intValue ?? 0
        }
    }
}
