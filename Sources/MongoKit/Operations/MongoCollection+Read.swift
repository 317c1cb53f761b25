import CMongoc
import Foundation

/// Options of ``MongoCollection/find(_:options:session:)``.
public struct FindOptions: Sendable {
    /// Sort specification, e.g. `["score": -1, "_id": 1]`.
    public var sort: BSONDocument?
    /// Maximum number of documents.
    public var limit: Int?
    /// Documents to skip first.
    public var skip: Int?
    /// Fields to include or exclude, e.g. `["text": 1, "_id": 0]`.
    public var projection: BSONDocument?
    /// Documents per round trip.
    public var batchSize: Int?

    /// Options; all default to the server's defaults.
    public init(sort: BSONDocument? = nil, limit: Int? = nil, skip: Int? = nil,
                projection: BSONDocument? = nil, batchSize: Int? = nil) {
        self.sort = sort
        self.limit = limit
        self.skip = skip
        self.projection = projection
        self.batchSize = batchSize
    }

    func append(to options: inout BSONDocument) {
        if let sort { options.append("sort", .document(sort)) }
        if let limit { options.append("limit", .int(limit)) }
        if let skip { options.append("skip", .int(skip)) }
        if let projection { options.append("projection", .document(projection)) }
        if let batchSize { options.append("batchSize", .int(batchSize)) }
    }
}

extension MongoCollection {
    /// Documents matching `filter`, all read before returning.
    public func find(_ filter: BSONDocument = [:], options: FindOptions = FindOptions(),
                     session: MongoSession? = nil) async throws -> [BSONDocument] {
        try await find(BSONDocument.self, filter, options: options, session: session)
    }

    /// Documents matching `filter`, decoded as `T` on the I/O thread straight from the
    /// cursor's buffers.
    public func find<T: Decodable & Sendable>(_ type: T.Type, _ filter: BSONDocument = [:],
                                               options: FindOptions = FindOptions(),
                                               session: MongoSession? = nil) async throws -> [T] {
        try await withCollection(session: session) { collection, opts in
            options.append(to: &opts)
            let cursor = mongoc_collection_find_with_opts(collection, filter.pointer, opts.pointer, nil)!
            return try drainCursor(cursor) { try decodeDocument(type, $0) }
        }
    }

    /// The first document matching `filter` (in `sort` order), or nil.
    public func findOne(_ filter: BSONDocument = [:], sort: BSONDocument? = nil,
                        session: MongoSession? = nil) async throws -> BSONDocument? {
        try await find(filter, options: FindOptions(sort: sort, limit: 1), session: session).first
    }

    /// The first document matching `filter`, decoded as `T`, or nil.
    public func findOne<T: Decodable & Sendable>(_ type: T.Type, _ filter: BSONDocument = [:], sort: BSONDocument? = nil,
                                                  session: MongoSession? = nil) async throws -> T? {
        try await find(type, filter, options: FindOptions(sort: sort, limit: 1), session: session).first
    }

    /// Number of documents matching `filter` (an exact count, not the estimate).
    public func count(_ filter: BSONDocument = [:], session: MongoSession? = nil) async throws -> Int {
        try await withCollection(session: session) { collection, options in
            var error = bson_error_t()
            let (count, reply) = BSONDocument.receiving {
                mongoc_collection_count_documents(collection, filter.pointer, options.pointer, nil, $0, &error)
            }
            guard count >= 0 else { throw MongoError(error, reply: reply) }
            return Int(count)
        }
    }

    /// Runs an aggregation pipeline and returns its output documents.
    public func aggregate(_ pipeline: [BSONDocument], session: MongoSession? = nil) async throws -> [BSONDocument] {
        try await aggregate(pipeline, as: BSONDocument.self, session: session)
    }

    /// Runs an aggregation pipeline and decodes its output as `T`.
    public func aggregate<T: Decodable & Sendable>(_ pipeline: [BSONDocument], as type: T.Type,
                                                    session: MongoSession? = nil) async throws -> [T] {
        let stages: BSONDocument = ["pipeline": .array(pipeline.map { .document($0) })]
        return try await withCollection(session: session) { collection, options in
            let cursor = mongoc_collection_aggregate(collection, MONGOC_QUERY_NONE, stages.pointer, options.pointer, nil)!
            return try drainCursor(cursor) { try decodeDocument(type, $0) }
        }
    }

    /// Atomically finds one document (the first in `sort` order), applies `update`,
    /// and returns the document after the update (`returnNew`) or before it. With
    /// `upsert`, inserts when nothing matches. Returns nil if nothing matched and no
    /// document was upserted (or `returnNew` is false and it was upserted).
    public func findOneAndUpdate(filter: BSONDocument, update: BSONDocument, sort: BSONDocument? = nil,
                                 upsert: Bool = false, returnNew: Bool = true, projection: BSONDocument? = nil,
                                 session: MongoSession? = nil) async throws -> BSONDocument? {
        var flags = MONGOC_FIND_AND_MODIFY_NONE.rawValue
        if upsert { flags |= MONGOC_FIND_AND_MODIFY_UPSERT.rawValue }
        if returnNew { flags |= MONGOC_FIND_AND_MODIFY_RETURN_NEW.rawValue }
        return try await findAndModify(filter: filter, update: update, sort: sort, flags: flags,
                                       projection: projection, session: session)
    }

    /// Atomically finds one document (the first in `sort` order) and deletes it;
    /// returns it, or nil if nothing matched.
    public func findOneAndDelete(filter: BSONDocument, sort: BSONDocument? = nil,
                                 session: MongoSession? = nil) async throws -> BSONDocument? {
        try await findAndModify(filter: filter, update: nil, sort: sort,
                                flags: MONGOC_FIND_AND_MODIFY_REMOVE.rawValue, projection: nil, session: session)
    }

    private func findAndModify(filter: BSONDocument, update: BSONDocument?, sort: BSONDocument?, flags: UInt32,
                               projection: BSONDocument?, session: MongoSession?) async throws -> BSONDocument? {
        try await withCollection(session: session) { collection, options in
            let modify = mongoc_find_and_modify_opts_new()!
            defer { mongoc_find_and_modify_opts_destroy(modify) }
            if let sort { mongoc_find_and_modify_opts_set_sort(modify, sort.pointer) }
            if let update { mongoc_find_and_modify_opts_set_update(modify, update.pointer) }
            if let projection { mongoc_find_and_modify_opts_set_fields(modify, projection.pointer) }
            mongoc_find_and_modify_opts_set_flags(modify, mongoc_find_and_modify_flags_t(rawValue: flags))
            if !options.isEmpty { mongoc_find_and_modify_opts_append(modify, options.pointer) }
            var error = bson_error_t()
            let (ok, reply) = BSONDocument.receiving {
                mongoc_collection_find_and_modify_with_opts(collection, filter.pointer, modify, $0, &error)
            }
            guard ok else { throw MongoError(error, reply: reply) }
            return reply["value"]?.documentValue
        }
    }
}
