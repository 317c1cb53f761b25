import Foundation
import MongoKit
import MongoStorage
import PipelineModel
import Storage
import PipelineTesting
import Synchronization
import Testing

/// The store's optional behaviours: the polling change feed and TTL retention of `tweets`.
@Suite struct MongoStoreOptionsTests {
    /// The whole store contract again with the change feed forced to polling, as on a
    /// server without change streams: its change-feed check must still see every update.
    @Test(arguments: SentimentStoreContract.Check.allCases)
    func pollingStoreKeepsTheContract(_ check: SentimentStoreContract.Check) async throws {
        try await SentimentStoreContract.run(check) {
            let store = MongoSentimentStore(database: try MongoTestDatabase.make(),
                                            configuration: .init(changeFeed: .polling, pollInterval: .milliseconds(50)))
            try await store.prepare()
            return store
        }
    }

    @Test(.timeLimit(.minutes(4))) func retentionIsATTLIndexAndExpiresOnlyPosts() async throws {
        let database = try MongoTestDatabase.make()
        let store = MongoSentimentStore(database: database, configuration: .init(tweetRetention: .seconds(3600)))
        try await store.prepare()
        try await store.prepare()  // idempotent
        let tweets = database.collection(MongoSchema.Tweets.collection)
        let retention = try await tweets.indexes().first { $0["name"]?.stringValue == MongoSchema.Tweets.retentionIndex }
        #expect(retention?["expireAfterSeconds"]?.intValue == 3600)
        #expect(retention?["key"]?.documentValue?[MongoSchema.Tweets.receivedAt]?.intValue == 1)

        // One post received long ago, one just now: only the old one is past retention.
        let old = TestPosts.scored("old", keywords: ["ttl"], at: 1_767_225_600, compound: 0.5)
        var recent = TestPosts.scored("recent", keywords: ["ttl"], at: 1_767_225_600, compound: -0.5)
        recent.post.receivedAt = Date()
        _ = try await store.record([old, recent])
        try await Self.sweepTTL(database, until: { try await store.post(id: "old") == nil })
        #expect(try await store.post(id: "old") == nil)
        #expect(try await store.post(id: "recent") != nil)
        let allTime = DateInterval(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 4_102_444_800))
        let buckets = try await store.series(keyword: "ttl", in: allTime, resolution: .hour)
        #expect(buckets.reduce(0) { $0 + $1.count } == 2, "aggregates keep expired posts")
    }

    /// A commit that becomes visible long after its `recordedAt` stamp (a slow or retried
    /// transaction, beyond the look-back) still reaches the polling feed. The slow
    /// transaction is played by writing what `record` writes, in its order: the marker,
    /// then — once the feed has polled well past the stamp's look-back — the post, then
    /// the marker's withdrawal.
    @Test(.timeLimit(.minutes(3))) func pollingFeedDeliversACommitVisibleLongAfterItsStamp() async throws {
        let database = try MongoTestDatabase.make()
        let store = MongoSentimentStore(database: database, configuration: .init(
            changeFeed: .polling, pollInterval: .milliseconds(50), pollLookback: .seconds(1)))
        try await store.prepare()
        let recording = database.collection(MongoSchema.Recording.collection)
        let stamp = Date().addingTimeInterval(-60)  // far behind the look-back, not stale
        try await recording.insertOne([MongoSchema.Recording.id: "slow", MongoSchema.Recording.since: .date(stamp)])

        let delivered = DeliveredPosts()
        let feed = try await store.changes()
        let reader = Task {
            for try await change in feed { if case .posts(let posts) = change { delivered.add(posts.map(\.id)) } }
        }
        defer { reader.cancel() }
        // Posts recorded meanwhile come through, and `record` leaves no marker behind.
        _ = try await store.record([TestPosts.scored("prompt", keywords: ["late"], compound: 0.1)])
        try await delivered.wait(for: "prompt")
        #expect(try await recording.count([MongoSchema.Recording.id: ["$ne": "slow"]]) == 0)

        // The slow transaction's post, as its commit would make it visible: recorded by a
        // store elsewhere, its stamp set back a minute.
        let elsewhere = try MongoTestDatabase.make()
        let scratch = MongoSentimentStore(database: elsewhere)
        try await scratch.prepare()
        _ = try await scratch.record([TestPosts.scored("slow-1", keywords: ["late"], compound: 0.2)])
        let raw = try #require(try await elsewhere.collection(MongoSchema.Tweets.collection).findOne())
        var late = BSONDocument()
        for (key, value) in raw { late.append(key, key == MongoSchema.Tweets.recordedAt ? .date(stamp) : value) }
        try await database.collection(MongoSchema.Tweets.collection).insertOne(late)
        _ = try await recording.deleteOne([MongoSchema.Recording.id: "slow"])
        try await delivered.wait(for: "slow-1")
    }

    /// The shared check that exactly-once survives retention, with `tweets`' TTL as the
    /// retention: the post, received a year ago, expires at the first sweep.
    @Test(.timeLimit(.minutes(4))) func repeatAfterTTLExpiryIsNotCountedAgain() async throws {
        let database = try MongoTestDatabase.make()
        try await SentimentStoreContract.repeatAfterRetentionIsNotCountedAgain {
            let store = MongoSentimentStore(database: database, configuration: .init(tweetRetention: .seconds(3600)))
            try await store.prepare()
            return store
        } expire: { store in
            try await Self.sweepTTL(database, until: { try await store.post(id: "retained-1") == nil })
        }
    }

    /// Runs the TTL monitor now. SecantusDB (its `buildInfo` has `secantusVersion`) sweeps
    /// TTL indexes every 60 s and has an admin command that sweeps at once: it must
    /// succeed. A real mongod has no such command; there this waits (up to 150 s) for the
    /// TTL monitor (every 60 s) until `done`.
    static func sweepTTL(_ database: MongoDatabase, until done: () async throws -> Bool) async throws {
        let admin = database.client.database("admin")
        if try await admin.runCommand(["buildInfo": 1])["secantusVersion"] != nil {
            _ = try await admin.runCommand(["secantusAdmin.pruneTtl": 1])
        } else {
            let deadline = ContinuousClock.now + .seconds(150)
            while ContinuousClock.now < deadline, try await !done() {
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}

/// Post ids a change feed delivered, for a test to wait on.
private final class DeliveredPosts: Sendable {
    private let ids = Mutex(Set<String>())

    func add(_ new: [String]) { ids.withLock { $0.formUnion(new) } }

    /// Waits (up to 30 s, polling) until `id` was delivered; records an issue if not.
    func wait(for id: String) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if ids.withLock({ $0.contains(id) }) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the change feed did not deliver \(id) within 30 s")
    }
}
