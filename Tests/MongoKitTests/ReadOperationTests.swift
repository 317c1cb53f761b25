import PipelineModel
import Foundation
import MongoKit
import Testing

/// Find, count, aggregate and findAndModify against the real test server.
@Suite("MongoKit reads")
struct ReadOperationTests {
    struct Post: Codable, Equatable, Sendable {
        var _id: Int
        var keyword: String
        var score: Double
        var at: Date
    }

    static let posts: [Post] = (0..<20).map {
        Post(_id: $0, keyword: $0 % 3 == 0 ? "swift" : "rust", score: Double($0) / 10,
             at: Date(timeIntervalSince1970: 1_700_000_000 + Double($0) * 60))
    }

    @Test func findFiltersSortsPagesAndProjects() async throws {
        try await TestDatabase.with { database in
            let posts = database.collection("posts")
            _ = try await posts.insertMany(Self.posts)
            let swift = try await posts.find(Post.self, ["keyword": "swift"],
                                             options: FindOptions(sort: ["score": -1], limit: 3, skip: 1))
            #expect(swift.map(\._id) == [15, 12, 9])
            #expect(swift.first == Self.posts[15])

            let projected = try await posts.find(["_id": ["$lt": 2]],
                                                 options: FindOptions(sort: ["_id": 1], projection: ["keyword": 1, "_id": 0]))
            #expect(projected == [["keyword": "swift"], ["keyword": "rust"]])

            let since = try await posts.count(["at": ["$gte": .date(Self.posts[15].at)]])
            #expect(since == 5)
            #expect(try await posts.count(["keyword": "swift"]) == 7)
            #expect(try await posts.findOne(["keyword": "go"]) == nil)
        }
    }

    @Test func aggregatePipelines() async throws {
        try await TestDatabase.with { database in
            let posts = database.collection("posts")
            _ = try await posts.insertMany(Self.posts)
            struct Group: Codable, Equatable, Sendable { var _id: String; var n: Int; var best: Double }
            let groups = try await posts.aggregate([
                ["$match": ["score": ["$gte": 0.5]]],
                ["$group": ["_id": "$keyword", "n": ["$sum": 1], "best": ["$max": "$score"]]],
                ["$sort": ["_id": 1]],
            ], as: Group.self)
            #expect(groups == [Group(_id: "rust", n: 10, best: 1.9), Group(_id: "swift", n: 5, best: 1.8)])
        }
    }

    @Test func findOneAndUpdateClaimsInSortOrder() async throws {
        try await TestDatabase.with { database in
            let queue = database.collection("queue")
            _ = try await queue.insertMany((1...3).map { ["_id": .int($0), "state": "pending", "priority": .int(10 - $0)] as BSONDocument })
            let claimed = try await queue.findOneAndUpdate(
                filter: ["state": "pending"], update: ["$set": ["state": "leased"], "$inc": ["attempts": 1]],
                sort: ["priority": 1])
            #expect(claimed?["_id"]?.intValue == 3)
            #expect(claimed?["state"] == "leased", "returns the document after the update")
            let before = try await queue.findOneAndUpdate(filter: ["_id": 1], update: ["$set": ["state": "done"]],
                                                          returnNew: false)
            #expect(before?["state"] == "pending")
            let none = try await queue.findOneAndUpdate(filter: ["state": "nothing"], update: ["$set": ["x": 1]])
            #expect(none == nil)
            let upserted = try await queue.findOneAndUpdate(filter: ["_id": 9], update: ["$set": ["state": "new"]],
                                                            upsert: true)
            #expect(upserted?["state"] == "new")
            let deleted = try await queue.findOneAndDelete(filter: ["state": "pending"], sort: ["_id": -1])
            #expect(deleted?["_id"]?.intValue == 2)
            #expect(try await queue.count() == 3)
        }
    }

    @Test func decodingFailuresAreTyped() async throws {
        try await TestDatabase.with { database in
            let posts = database.collection("posts")
            try await posts.insertOne(["_id": 1, "keyword": 5] as BSONDocument)
            let error = await #expect(throws: MongoError.self) {
                _ = try await posts.find(Post.self)
            }
            #expect(error?.kind == .decoding)
            #expect(error?.message.contains("keyword") == true)
        }
    }
}
