import Foundation
import MongoKit
import Testing

/// Change streams against the real test server.
@Suite("MongoKit change streams")
struct ChangeStreamTests {
    @Test func receivesInsertsAndResumesFromAToken() async throws {
        try await TestDatabase.with { database in
            let posts = database.collection("posts")
            _ = try await database.runCommand(["create": "posts"])
            let stream = try await posts.watch([["$match": ["operationType": "insert"]]],
                                               options: ChangeStreamOptions(maxAwaitTime: .milliseconds(200)))
            _ = try await posts.insertMany((1...3).map { ["_id": .int($0), "text": .string("post \($0)")] as BSONDocument })
            _ = try await posts.updateOne(filter: ["_id": 1], update: ["$set": ["text": "edited"]])

            var iterator = stream.makeAsyncIterator()
            let first = try #require(try await iterator.next())
            #expect(first.operationType == "insert")
            #expect(first.documentKey == ["_id": 1] || first.documentKey?["_id"]?.intValue == 1)
            #expect(first.fullDocument?["text"] == "post 1")
            let second = try #require(try await iterator.next())
            #expect(second.fullDocument?["_id"]?.intValue == 2)
            let token = first.resumeToken
            #expect(!token.isEmpty)
            await stream.close()
            #expect(try await stream.next() == nil, "a closed stream ends")

            let resumed = try await posts.watch([["$match": ["operationType": "insert"]]],
                                                options: ChangeStreamOptions(resumeAfter: token, maxAwaitTime: .milliseconds(200)))
            var ids: [Int] = []
            for try await event in resumed {
                ids.append(event.fullDocument?["_id"]?.intValue ?? -1)
                if ids.count == 2 { break }
            }
            #expect(ids == [2, 3])
            #expect(resumed.resumeToken != nil)
            await resumed.close()
        }
    }

    @Test func cancellationEndsAnIdleStream() async throws {
        try await TestDatabase.with { database in
            let quiet = database.collection("quiet")
            _ = try await database.runCommand(["create": "quiet"])
            let stream = try await quiet.watch(options: ChangeStreamOptions(maxAwaitTime: .milliseconds(100)))
            let task = Task { try await stream.next() }
            task.cancel()
            #expect(try await task.value == nil)
            await stream.close()
        }
    }
}
