import Foundation
import MongoKit
import MongoStorage
import PipelineModel
import Storage
import PipelineTesting
import Testing

/// What the contract suite cannot see: the batch documents behind `MongoTweetQueue`'s
/// leases, and the states a crash between two of its writes leaves behind.
@Suite struct MongoTweetQueueTests {
    let clock = ManualClock()
    let database: MongoDatabase

    init() throws {
        database = try MongoTestDatabase.make()
    }

    private func makeQueue(postsPerBatch: Int = 100) async throws -> MongoTweetQueue {
        let queue = MongoTweetQueue(database: database, configuration: .init(postsPerBatch: postsPerBatch),
                                    now: clock.source)
        try await queue.prepare()
        return queue
    }

    @Test func enqueueWritesOneBatchDocumentPerBatchAndOnePostDocumentPerPost() async throws {
        let queue = try await makeQueue(postsPerBatch: 4)
        #expect(try await queue.enqueue(TestPosts.posts(10)) == EnqueueOutcome(accepted: 10, duplicates: 0))
        #expect(try await database.collection(MongoSchema.Inbox.collection).count() == 10)
        let batches = try await database.collection(MongoSchema.InboxBatches.collection).find([:])
        #expect(batches.map { $0[MongoSchema.InboxBatches.count]?.intValue ?? -1 }.sorted() == [2, 4, 4])
        // Every post points at an existing batch.
        let batchIDs = Set(batches.compactMap { $0[MongoSchema.InboxBatches.id]?.stringValue })
        let posts = try await database.collection(MongoSchema.Inbox.collection).find([:])
        #expect(posts.allSatisfy { batchIDs.contains($0[MongoSchema.Inbox.batch]?.stringValue ?? "") })
    }

    @Test func batchWhosePostsWereAllDuplicatesIsNotKept() async throws {
        let queue = try await makeQueue()
        _ = try await queue.enqueue(TestPosts.posts(3))
        #expect(try await queue.enqueue(TestPosts.posts(3)) == EnqueueOutcome(accepted: 0, duplicates: 3))
        #expect(try await database.collection(MongoSchema.InboxBatches.collection).count() == 1)
    }

    @Test func partialAcknowledgementKeepsTheRestLeased() async throws {
        let queue = try await makeQueue()
        _ = try await queue.enqueue(TestPosts.posts(5))
        let leases = try await queue.claim(limit: 5, lease: .seconds(30), worker: "w")
        #expect(leases.count == 5)
        try await queue.acknowledge(Array(leases.prefix(2)))
        var stats = try await queue.stats()
        #expect(stats.leased == 3 && stats.pending == 0)
        #expect(try await database.collection(MongoSchema.Inbox.collection).count() == 3)
        try await queue.acknowledge(Array(leases.dropFirst(2)))
        stats = try await queue.stats()
        #expect(stats.leased == 0 && stats.pending == 0)
        #expect(try await database.collection(MongoSchema.Inbox.collection).count() == 0)
        #expect(try await database.collection(MongoSchema.InboxBatches.collection).count() == 0)
    }

    @Test func batchLeftEmptyByACrashIsRemovedWhenClaimed() async throws {
        let queue = try await makeQueue()
        _ = try await queue.enqueue(TestPosts.posts(4))
        _ = try await queue.claim(limit: 10, lease: .seconds(30), worker: "w")
        // An acknowledgement that deleted the posts and died before deleting the batch.
        try await database.collection(MongoSchema.Inbox.collection).deleteMany([:])
        clock.advance(by: 31)
        #expect(try await queue.stats().pending == 4)  // the batch's count, until it is claimed
        #expect(try await queue.claim(limit: 10, lease: .seconds(30), worker: "w").isEmpty)
        #expect(try await database.collection(MongoSchema.InboxBatches.collection).count() == 0)
        #expect(try await queue.stats() == QueueStats(pending: 0, leased: 0, deadLettered: 0, oldestPendingAge: nil))
    }

    @Test func postsOfAnEnqueueThatDiedBeforeOpeningItsBatchComeBackAfterTheFillTimeout() async throws {
        let queue = try await makeQueue()
        _ = try await queue.enqueue(TestPosts.posts(3))
        // Put the batch back in the state between "posts written" and "batch opened".
        _ = try await database.collection(MongoSchema.InboxBatches.collection).updateMany(
            filter: [:], update: ["$set": [MongoSchema.InboxBatches.leaseExpiresAt: .date(clock.now().addingTimeInterval(60))]])
        #expect(try await queue.claim(limit: 10, lease: .seconds(30), worker: "w").isEmpty)
        clock.advance(by: 61)
        #expect(try await queue.claim(limit: 10, lease: .seconds(30), worker: "w").count == 3)
    }
}
