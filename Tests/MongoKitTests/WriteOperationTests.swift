import Foundation
import MongoKit
import Testing

/// Inserts, bulk upserts, updates and deletes against the real test server.
@Suite("MongoKit writes")
struct WriteOperationTests {
    struct Tweet: Codable, Equatable, Sendable {
        var _id: String
        var text: String
        var at: Date
    }

    @Test func insertManyReportsDuplicatesAndStoresTheRest() async throws {
        try await TestDatabase.with { database in
            let tweets = database.collection("tweets")
            let at = Date(timeIntervalSince1970: 1_700_000_000)
            let first = try await tweets.insertMany(["1", "2", "3"].map { Tweet(_id: $0, text: "t\($0)", at: at) })
            #expect(first == InsertManyResult(insertedCount: 3, duplicateIndices: []))

            // Mixed batch: positions 1 and 3 exist already (and position 4 repeats 0).
            let batch = ["4", "2", "5", "3", "4", "6"].map { Tweet(_id: $0, text: "new \($0)", at: at) }
            let second = try await tweets.insertMany(batch)
            #expect(second.insertedCount == 3)
            #expect(second.duplicateIndices == [1, 3, 4])
            #expect(try await tweets.count() == 6)
            // The duplicates did not overwrite anything.
            let two = try await tweets.findOne(Tweet.self, ["_id": "2"])
            #expect(two?.text == "t2")
        }
    }

    @Test func uniqueIndexViolationsAreDuplicates() async throws {
        try await TestDatabase.with { database in
            let users = database.collection("users")
            try await users.createIndexes([IndexModel(keys: ["handle": 1], unique: true)])
            try await users.insertOne(["handle": "@a"] as BSONDocument)
            let error = await #expect(throws: MongoError.self) {
                try await users.insertOne(["handle": "@a"] as BSONDocument)
            }
            #expect(error?.kind == .duplicateKey)
            let result = try await users.insertMany([["handle": "@b"], ["handle": "@a"], ["handle": "@c"]])
            #expect(result == InsertManyResult(insertedCount: 2, duplicateIndices: [1]))
        }
    }

    @Test func bulkUpsertsApplyIncSetMaxMin() async throws {
        try await TestDatabase.with { database in
            let aggregates = database.collection("aggregates")
            func upsert(_ key: String, _ n: Int, _ score: Double, _ at: Date) -> WriteModel {
                .updateOne(filter: ["_id": .string(key)], update: [
                    "$inc": ["count": .int(n), "sum": .double(score)],
                    "$set": ["lastText": .string("\(key)-\(n)")],
                    "$max": ["maxScore": .double(score), "lastSeen": .date(at)],
                    "$min": ["minScore": .double(score)],
                ], upsert: true)
            }
            let t0 = Date(timeIntervalSince1970: 1_000)
            let t1 = Date(timeIntervalSince1970: 2_000)
            let first = try await aggregates.bulkWrite([upsert("a", 1, 0.5, t1), upsert("b", 2, -0.5, t0)])
            #expect(first.upsertedCount == 2)
            #expect(first.upsertedIds[0] == .string("a"))
            let second = try await aggregates.bulkWrite([upsert("a", 3, -0.25, t0), upsert("a", 1, 0.75, t0),
                                                         upsert("c", 1, 0, t0)])
            #expect(second.matchedCount == 2)
            #expect(second.upsertedCount == 1)

            let a = try #require(try await aggregates.findOne(["_id": "a"]))
            #expect(a["count"]?.intValue == 5)
            #expect(a["sum"]?.doubleValue == 1.0)
            #expect(a["maxScore"] == .double(0.75))
            #expect(a["minScore"] == .double(-0.25))
            #expect(a["lastSeen"] == .date(t1), "$max keeps the later date")
            #expect(a["lastText"] == "a-1")
            #expect(try await aggregates.count() == 3)
        }
    }

    @Test func updatesAndDeletes() async throws {
        try await TestDatabase.with { database in
            let items = database.collection("items")
            _ = try await items.insertMany((0..<10).map { ["_id": .int($0), "even": .bool($0 % 2 == 0)] as BSONDocument })
            let many = try await items.updateMany(filter: ["even": true], update: ["$set": ["tag": "e"]])
            #expect(many.matchedCount == 5 && many.modifiedCount == 5)
            let one = try await items.updateOne(filter: ["_id": 100], update: ["$set": ["tag": "new"]], upsert: true)
            #expect(one.matchedCount == 0)
            #expect(one.upsertedId == .int64(100) || one.upsertedId == .int32(100))
            #expect(try await items.count(["tag": "e"]) == 5)
            #expect(try await items.deleteOne(["even": false]) == 1)
            #expect(try await items.deleteMany(["even": false]) == 4)
            #expect(try await items.deleteMany(["even": false]) == 0)
            #expect(try await items.count() == 6)
        }
    }

    @Test func concurrentTasksShareOnePool() async throws {
        try await TestDatabase.with { database in
            let items = database.collection("parallel")
            try await withThrowingTaskGroup(of: Int.self) { group in
                for task in 0..<16 {
                    group.addTask {
                        let documents = (0..<50).map { ["_id": .int(task * 1000 + $0), "task": .int(task)] as BSONDocument }
                        return try await items.insertMany(documents).insertedCount
                    }
                }
                var total = 0
                for try await inserted in group { total += inserted }
                #expect(total == 800)
            }
            #expect(try await items.count() == 800)
        }
    }
}
