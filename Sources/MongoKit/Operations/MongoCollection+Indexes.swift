extension MongoCollection {
    /// Creates indexes; creating an index that already exists with the same
    /// specification is a no-op, so this is safe to call at every start.
    @discardableResult
    public func createIndexes(_ indexes: [IndexModel]) async throws -> [String] {
        guard !indexes.isEmpty else { return [] }
        _ = try await database.runCommand([
            "createIndexes": .string(name),
            "indexes": .array(indexes.map { .document($0.document) }),
        ])
        return indexes.map(\.name)
    }

    /// Descriptions of the collection's indexes (`name`, `key`, `unique`, …).
    public func indexes() async throws -> [BSONDocument] {
        let reply = try await database.runCommand(["listIndexes": .string(name)])
        return (reply["cursor"]?.documentValue?["firstBatch"]?.arrayValue ?? []).compactMap(\.documentValue)
    }
}
