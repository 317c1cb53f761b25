import Foundation
import MongoKit
@testable import MongoStorage
import PipelineModel
import Storage
import PipelineTesting
import Testing

/// What the contract suite cannot see: the two documents behind each batch, the repeats a
/// queue drops, and recording and acknowledging as one transaction.
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

    private func makeStore() async throws -> MongoSentimentStore {
        let store = MongoSentimentStore(database: database)
        try await store.prepare()
        return store
    }

    private var postDocuments: MongoCollection { database.collection(MongoSchema.InboxPosts.collection) }
    private var leaseDocuments: MongoCollection { database.collection(MongoSchema.InboxBatches.collection) }

    /// Posts held by each `inboxPosts` document, sorted.
    private func batchSizes() async throws -> [Int] {
        try await postDocuments.find([:]).map { $0[MongoSchema.InboxPosts.posts]?.arrayValue?.count ?? -1 }.sorted()
    }

    @Test func enqueueWritesOnePostsDocumentAndOneLeaseDocumentPerBatch() async throws {
        let queue = try await makeQueue(postsPerBatch: 4)
        #expect(try await queue.enqueue(TestPosts.posts(10)) == EnqueueOutcome(accepted: 10, duplicates: 0))
        #expect(try await batchSizes() == [2, 4, 4])
        let leases = try await leaseDocuments.find([:])
        #expect(leases.map { $0[MongoSchema.InboxBatches.count]?.intValue ?? -1 }.sorted() == [2, 4, 4])
        let leaseIDs = Set(leases.compactMap { $0[MongoSchema.InboxBatches.id]?.stringValue })
        let postIDs = Set(try await postDocuments.find([:]).compactMap { $0[MongoSchema.InboxPosts.id]?.stringValue })
        #expect(leaseIDs == postIDs)
    }

    @Test func aBatchIsCutBeforeItsDocumentGrowsLarge() async throws {
        let queue = try await makeQueue(postsPerBatch: 500)
        // Ten posts of 1.5 MB: one document would pass MongoDB's 16 MB limit.
        let posts = (0..<10).map { TestPosts.post("big\($0)", text: String(repeating: "x", count: 1_500_000)) }
        #expect(try await queue.enqueue(posts).accepted == 10)
        #expect(try await batchSizes().count >= 2)
        var claimed: [QueueLease] = []
        while case let more = try await queue.claim(limit: 500, lease: .seconds(30), worker: "w"), !more.isEmpty {
            claimed += more
        }
        #expect(Set(claimed.map(\.post.id)) == Set(posts.map(\.id)))
    }

    @Test func repeatsOfPostsQueuedLatelyAreDroppedByTheProcessThatQueuedThem() async throws {
        let queue = try await makeQueue()
        _ = try await queue.enqueue(TestPosts.posts(3))
        #expect(try await queue.enqueue(TestPosts.posts(3)) == EnqueueOutcome(accepted: 0, duplicates: 3))
        #expect(try await leaseDocuments.count() == 1)
        // Another process does not know them: they travel on, and the store refuses them.
        let other = MongoTweetQueue(database: database, now: clock.source)
        #expect(try await other.enqueue(TestPosts.posts(3)) == EnqueueOutcome(accepted: 3, duplicates: 0))
    }

    @Test func partialAcknowledgementKeepsTheRestLeased() async throws {
        let queue = try await makeQueue()
        _ = try await queue.enqueue(TestPosts.posts(5))
        let leases = try await queue.claim(limit: 5, lease: .seconds(30), worker: "w")
        #expect(leases.count == 5)
        try await queue.acknowledge(Array(leases.prefix(2)))
        var stats = try await queue.stats()
        #expect(stats.leased == 3 && stats.pending == 0)
        #expect(try await batchSizes() == [3])
        try await queue.acknowledge(Array(leases.dropFirst(2)))
        stats = try await queue.stats()
        #expect(stats.leased == 0 && stats.pending == 0)
        #expect(try await postDocuments.count() == 0)
        #expect(try await leaseDocuments.count() == 0)
    }

    @Test func recordingAcknowledgesTheBatchInTheSameTransaction() async throws {
        let queue = try await makeQueue()
        let store = try await makeStore()
        let recorder = MongoBatchRecorder(store: store, queue: queue)
        _ = try await queue.enqueue(TestPosts.posts(6))
        let leases = try await queue.claim(limit: 10, lease: .seconds(30), worker: "w")
        let scored = leases.map { TestPosts.scored($0.post, compound: 0.5) }
        #expect(try await recorder.record(scored, acknowledging: leases) == RecordOutcome(inserted: 6, duplicates: 0))
        #expect(try await postDocuments.count() == 0)
        #expect(try await leaseDocuments.count() == 0)
        #expect(try await store.keywords().first?.totalCount == 6)
    }

    @Test func aWorkerWhoseLeaseExpiredRecordsNothing() async throws {
        let queue = try await makeQueue()
        let store = try await makeStore()
        let recorder = MongoBatchRecorder(store: store, queue: queue)
        _ = try await queue.enqueue(TestPosts.posts(4))
        let slow = try await queue.claim(limit: 10, lease: .seconds(30), worker: "slow")
        clock.advance(by: 31)
        let fast = try await queue.claim(limit: 10, lease: .seconds(30), worker: "fast")
        #expect(fast.count == 4)
        await #expect(throws: LeaseLost.self) {
            try await recorder.record(slow.map { TestPosts.scored($0.post, compound: 0.1) }, acknowledging: slow)
        }
        #expect(try await store.keywords().isEmpty)
        #expect(try await queue.stats().leased == 4)
        #expect(try await recorder.record(fast.map { TestPosts.scored($0.post, compound: 0.1) }, acknowledging: fast)
                == RecordOutcome(inserted: 4, duplicates: 0))
        #expect(try await queue.stats() == QueueStats(pending: 0, leased: 0, deadLettered: 0, oldestPendingAge: nil))
    }

    /// A consumer dying inside the record transaction (here: a step failing after the
    /// posts were counted) leaves nothing counted and the batch still queued.
    @Test func aTransactionCutShortLeavesNothingRecordedAndTheBatchQueued() async throws {
        struct Died: Error {}
        let queue = try await makeQueue()
        let store = try await makeStore()
        _ = try await queue.enqueue(TestPosts.posts(5))
        let leases = try await queue.claim(limit: 10, lease: .seconds(30), worker: "w")
        await #expect(throws: Died.self) {
            try await store.record(leases.map { TestPosts.scored($0.post, compound: 0.2) }) { session in
                _ = try await queue.settle(acknowledging: leases, session: session)
                throw Died()
            }
        }
        #expect(try await database.collection(MongoSchema.Tweets.collection).count() == 0)
        #expect(try await store.keywords().isEmpty)
        #expect(try await queue.stats().leased == 5)
        clock.advance(by: 31)
        let again = try await queue.claim(limit: 10, lease: .seconds(30), worker: "w2")
        #expect(Set(again.map(\.post.id)) == Set(leases.map(\.post.id)))
        #expect(again.allSatisfy { $0.attempt == 2 })
    }

    @Test func aRedeliveredBatchAlreadyRecordedIsAcknowledgedWithoutCounting() async throws {
        let queue = try await makeQueue()
        let store = try await makeStore()
        let recorder = MongoBatchRecorder(store: store, queue: queue)
        let posts = TestPosts.posts(3)
        // Recorded by a consumer that died before acknowledging (the sequential way).
        _ = try await store.record(posts.map { TestPosts.scored($0, compound: 0.3) })
        _ = try await queue.enqueue(posts)
        let leases = try await queue.claim(limit: 10, lease: .seconds(30), worker: "w")
        #expect(try await recorder.record(leases.map { TestPosts.scored($0.post, compound: 0.3) }, acknowledging: leases)
                == RecordOutcome(inserted: 0, duplicates: 3))
        #expect(try await queue.stats().leased == 0)
        #expect(try await store.keywords().first?.totalCount == 3)
    }
}
