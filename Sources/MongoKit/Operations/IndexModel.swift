/// An index to create with ``MongoCollection/createIndexes(_:)``.
public struct IndexModel: Sendable {
    /// Keys in order, e.g. `["keyword": 1, "bucket": 1]` (1 ascending, -1 descending).
    public var keys: BSONDocument
    /// Index name; defaults to the server's convention (`keyword_1_bucket_1`).
    public var name: String
    /// Rejects a second document with the same key values.
    public var unique: Bool
    /// TTL: documents expire this many seconds after the date in the (single) key field.
    public var expireAfterSeconds: Int?
    /// Indexes only documents matching this filter.
    public var partialFilter: BSONDocument?

    /// An index description.
    public init(keys: BSONDocument, name: String? = nil, unique: Bool = false,
                expireAfterSeconds: Int? = nil, partialFilter: BSONDocument? = nil) {
        self.keys = keys
        self.name = name ?? keys.map { "\($0.key)_\($0.value.intValue.map(String.init) ?? $0.value.stringValue ?? "x")" }
            .joined(separator: "_")
        self.unique = unique
        self.expireAfterSeconds = expireAfterSeconds
        self.partialFilter = partialFilter
    }

    var document: BSONDocument {
        var document: BSONDocument = ["key": .document(keys), "name": .string(name)]
        if unique { document.append("unique", true) }
        if let expireAfterSeconds { document.append("expireAfterSeconds", .int(expireAfterSeconds)) }
        if let partialFilter { document.append("partialFilterExpression", .document(partialFilter)) }
        return document
    }
}
