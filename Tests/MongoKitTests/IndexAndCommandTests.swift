import Foundation
import MongoKit
import PipelineTesting
import Testing

/// Indexes, TTL, commands and error classification against the real test server.
@Suite("MongoKit indexes and commands")
struct IndexAndCommandTests {
    @Test func createIndexesIsIdempotent() async throws {
        try await TestDatabase.with { database in
            let aggregates = database.collection("aggregates")
            let models = [
                IndexModel(keys: ["keyword": 1, "bucket": -1], unique: true),
                IndexModel(keys: ["expiresAt": 1], expireAfterSeconds: 0),
            ]
            #expect(try await aggregates.createIndexes(models) == ["keyword_1_bucket_-1", "expiresAt_1"])
            try await aggregates.createIndexes(models)
            let indexes = try await aggregates.indexes()
            let compound = try #require(indexes.first { $0["name"] == "keyword_1_bucket_-1" })
            #expect(compound["key"] == ["keyword": 1, "bucket": -1] || compound["key"] == ["keyword": .int32(1), "bucket": .int32(-1)])
            #expect(compound["unique"] == true)
            let ttl = try #require(indexes.first { $0["name"] == "expiresAt_1" })
            #expect(ttl["expireAfterSeconds"]?.intValue == 0)

            _ = try await aggregates.insertMany([["keyword": "a", "bucket": 1], ["keyword": "a", "bucket": 2]])
            let again = try await aggregates.insertMany([["keyword": "a", "bucket": 1]])
            #expect(again.duplicateIndices == [0], "the compound index is unique")
        }
    }

    @Test func ttlIndexExpiresDocuments() async throws {
        try await TestDatabase.with { database in
            let leases = database.collection("leases")
            try await leases.createIndexes([IndexModel(keys: ["expiresAt": 1], expireAfterSeconds: 0)])
            let now = Date()
            _ = try await leases.insertMany([
                ["_id": "old", "expiresAt": .date(now.addingTimeInterval(-3600))],
                ["_id": "new", "expiresAt": .date(now.addingTimeInterval(3600))],
            ])
            #expect(try await leases.count() == 2)
            _ = try await database.client.database("admin").runCommand(["secantusAdmin.pruneTtl": 1])
            let remaining = try await leases.find()
            #expect(remaining.map { $0["_id"] } == ["new"])
        }
    }

    @Test func commandsReturnRepliesAndTypedFailures() async throws {
        try await TestDatabase.with { database in
            try await database.client.ping()
            let reply = try await database.client.database("admin").runCommand(["ping": 1])
            #expect(reply["ok"]?.doubleValue == 1)
            try await database.collection("c").insertOne(["x": 1] as BSONDocument)
            #expect(try await database.collectionNames() == ["c"])
            let error = await #expect(throws: MongoError.self) {
                _ = try await database.runCommand(["definitelyNotACommand": 1])
            }
            #expect(error?.kind == .commandFailed)
            #expect(error?.code != 0)
            #expect(error?.description.contains("definitelyNotACommand") == true)
        }
    }

    @Test func unreachableServerFailsWithinSelectionTimeout() async throws {
        // Port 1 on loopback: nothing listens, connections are refused.
        let client = try MongoClient(uri: "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=1000&connectTimeoutMS=500")
        let error = await #expect(throws: MongoError.self) {
            try await client.ping()
        }
        #expect(error?.kind == .unreachable)
        let insert = await #expect(throws: MongoError.self) {
            _ = try await client.database("x").collection("y").insertMany([["a": 1]])
        }
        #expect(insert?.kind == .unreachable)
    }

    @Test func invalidURIsAreRejected() {
        let error = #expect(throws: MongoError.self) {
            _ = try MongoClient(uri: "http://nope")
        }
        #expect(error?.kind == .invalidArgument)
    }
}
