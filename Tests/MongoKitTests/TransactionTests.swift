import Foundation
import MongoKit
import Testing

/// Multi-document transactions against the real test server.
@Suite("MongoKit transactions")
struct TransactionTests {
    struct Abort: Error {}

    @Test func committedWritesBecomeVisibleTogether() async throws {
        try await TestDatabase.with { database in
            let posts = database.collection("posts")
            let totals = database.collection("totals")
            _ = try await database.runCommand(["create": "posts"])
            _ = try await database.runCommand(["create": "totals"])
            let client = database.client
            try await client.withTransaction { session in
                _ = try await posts.insertMany([["_id": 1], ["_id": 2]], session: session)
                _ = try await totals.updateOne(filter: ["_id": "all"], update: ["$inc": ["n": 2]], upsert: true,
                                               session: session)
                // Isolation: outside the transaction nothing is visible yet.
                #expect(try await posts.count() == 0)
                #expect(try await posts.count(session: session) == 2)
            }
            #expect(try await posts.count() == 2)
            #expect(try await totals.findOne(["_id": "all"])?["n"]?.intValue == 2)
        }
    }

    @Test func abortedWritesAreNotVisible() async throws {
        try await TestDatabase.with { database in
            let posts = database.collection("posts")
            _ = try await posts.insertMany([["_id": 0]])
            await #expect(throws: Abort.self) {
                try await database.client.withTransaction { session in
                    _ = try await posts.insertMany([["_id": 1], ["_id": 2]], session: session)
                    _ = try await posts.deleteMany(["_id": 0], session: session)
                    throw Abort()
                }
            }
            #expect(try await posts.find().map { $0["_id"]?.intValue } == [0])
        }
    }

    @Test func conflictingTransactionsAreRetried() async throws {
        try await TestDatabase.with { database in
            let counters = database.collection("counters")
            _ = try await counters.insertMany([["_id": "c", "n": 0]])
            let client = database.client
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        for _ in 0..<5 {
                            try await client.withTransaction { session in
                                let current = try await counters.findOne(["_id": "c"], session: session)
                                let n = current?["n"]?.intValue ?? 0
                                _ = try await counters.updateOne(filter: ["_id": "c"], update: ["$set": ["n": .int(n + 1)]],
                                                                 session: session)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            // Read-modify-write in transactions loses no increment: conflicts were retried.
            #expect(try await counters.findOne(["_id": "c"])?["n"]?.intValue == 20)
        }
    }
}
