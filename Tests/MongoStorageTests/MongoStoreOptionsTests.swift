import Foundation
import MongoKit
import MongoStorage
import PipelineModel
import Storage
import PipelineTesting
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
