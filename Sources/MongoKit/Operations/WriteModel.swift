/// One operation of a ``MongoCollection/bulkWrite(_:ordered:session:)``.
public enum WriteModel: Sendable {
    /// Inserts a document.
    case insertOne(BSONDocument)
    /// Applies an update (`$set`, `$inc`, `$max`, `$min`, …) to the first match;
    /// with `upsert`, inserts one built from the filter and update if none matches.
    case updateOne(filter: BSONDocument, update: BSONDocument, upsert: Bool = false)
    /// Applies an update to every match.
    case updateMany(filter: BSONDocument, update: BSONDocument, upsert: Bool = false)
    /// Replaces the first match with a whole document.
    case replaceOne(filter: BSONDocument, replacement: BSONDocument, upsert: Bool = false)
    /// Deletes the first match.
    case deleteOne(filter: BSONDocument)
    /// Deletes every match.
    case deleteMany(filter: BSONDocument)
}

/// Counts from a bulk write, and the per-document failures of an unordered one.
public struct BulkWriteResult: Sendable {
    /// Documents inserted.
    public var insertedCount = 0
    /// Documents the update filters matched.
    public var matchedCount = 0
    /// Documents actually changed.
    public var modifiedCount = 0
    /// Documents deleted.
    public var deletedCount = 0
    /// Documents inserted by upserts.
    public var upsertedCount = 0
    /// `_id` of each upserted document, by operation index.
    public var upsertedIds: [Int: BSONValue] = [:]
    /// Operations refused because of a duplicate key (the others were applied).
    public var writeErrors: [WriteError] = []

    /// Indices of the operations refused for a duplicate key.
    public var duplicateKeyIndices: [Int] { writeErrors.filter(\.isDuplicateKey).map(\.index) }

    init() {}

    /// Reads libmongoc's bulk reply (`nInserted`, `upserted`, `writeErrors`, …).
    init(reply: BSONDocument) {
        for (key, value) in reply {
            switch key {
            case "nInserted": insertedCount = value.intValue ?? 0
            case "nMatched": matchedCount = value.intValue ?? 0
            case "nModified": modifiedCount = value.intValue ?? 0
            case "nRemoved": deletedCount = value.intValue ?? 0
            case "nUpserted": upsertedCount = value.intValue ?? 0
            case "upserted":
                for entry in value.arrayValue ?? [] {
                    guard let entry = entry.documentValue, let index = entry["index"]?.intValue else { continue }
                    upsertedIds[index] = entry["_id"]
                }
            case "writeErrors":
                writeErrors = (value.arrayValue ?? []).compactMap { entry in
                    guard let entry = entry.documentValue else { return nil }
                    return WriteError(index: entry["index"]?.intValue ?? -1, code: entry["code"]?.intValue ?? 0,
                                      message: entry["errmsg"]?.stringValue ?? "write error")
                }
            default: break
            }
        }
    }
}

/// Outcome of ``MongoCollection/insertMany(_:session:)``.
public struct InsertManyResult: Sendable, Hashable {
    /// Documents stored.
    public var insertedCount: Int
    /// Positions (in the submitted array) of documents not stored because their key
    /// already existed.
    public var duplicateIndices: [Int]

    /// A result (for tests and fakes).
    public init(insertedCount: Int, duplicateIndices: [Int]) {
        self.insertedCount = insertedCount
        self.duplicateIndices = duplicateIndices
    }
}

/// Outcome of a single update.
public struct UpdateResult: Sendable {
    /// Documents matched by the filter.
    public var matchedCount: Int
    /// Documents changed.
    public var modifiedCount: Int
    /// `_id` of the inserted document when the update upserted.
    public var upsertedId: BSONValue?
}
