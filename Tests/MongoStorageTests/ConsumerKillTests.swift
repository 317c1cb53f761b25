import Foundation
import MongoKit
import MongoStorage
import PipelineModel
import Storage
import PipelineTesting
import Testing

/// The exactly-once acceptance test: the `consumer` executable is SIGKILLed at random
/// points while it works through a few thousand posts; afterwards every aggregate must
/// equal a from-scratch count of the distinct stored posts, and every post must be stored.
@Suite(.timeLimit(.minutes(5))) struct ConsumerKillTests {
    static let keywords = ["alpha", "beta", "gamma"]
    /// 1970–2100: the test server rejects dates outside years 1–9999 (`distantPast` is year 0).
    static let allTime = DateInterval(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 4_102_444_800))

    /// Posts with texts the lexicon scores differently, over three keywords and a few minutes.
    static func posts(_ count: Int) -> [Post] {
        let texts = ["I love this, great work!", "This is awful and sad.", "It is a table.",
                     "Not bad at all :)", "worst day ever", "meh"]
        return (0..<count).map { i in
            var keywords = [Self.keywords[i % 3]]
            if i % 7 == 0 { keywords.append(Self.keywords[(i + 1) % 3]) }
            return TestPosts.post("k\(i)", keywords: keywords, at: 1_767_225_600 + i % 600,
                                  text: "\(texts[i % texts.count]) #\(i)")
        }
    }

    static func startConsumer(uri: String, database: String, workers: Int, extra: [String] = []) throws -> Process {
        let process = Process()
        process.executableURL = TestEnvironment.executable("consumer")
        process.arguments = ["--mongo", uri, "--database", database, "--workers", "\(workers)",
                             "--batch", "50", "--lease", "1", "--max-failures", "3", "--engine", "lexicon",
                             "--log-level", "error"] + extra
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test(arguments: [1, 2])
    func killedConsumersCountEveryPostExactlyOnce(consumers: Int) async throws {
        let uri = try TestEnvironment.requireMongoURI()
        let database = try MongoTestDatabase.make()
        let queue = MongoTweetQueue(database: database)
        let store = MongoSentimentStore(database: database)
        try await queue.prepare()
        try await store.prepare()
        let posts = Self.posts(1200)
        _ = try await queue.enqueue(posts)

        var random = SplitMix64(seed: UInt64(consumers))
        // Batches still leased after a kill were in flight when it hit: their leases must
        // expire and the batches be redelivered, which is what this test is about.
        var leasedAtKill = 0
        let batches = database.collection(MongoSchema.InboxBatches.collection)
        // Read in a transaction: a killed consumer's open record transaction has deleted its
        // batch's lease document without committing, and only a snapshot read still sees it.
        let leased: @Sendable () async throws -> Int = {
            try await database.client.withTransaction { session in
                try await batches.count([MongoSchema.InboxBatches.leaseToken: ["$ne": ""]], session: session)
            }
        }
        for round in 0..<4 {
            let running = try (0..<consumers).map { _ in try Self.startConsumer(uri: uri, database: database.name, workers: 2) }
            // The first round is killed while a batch is leased (polled), so at least one
            // kill hits work in flight whatever the machine's speed; the others at random.
            if round == 0 {
                let deadline = ContinuousClock.now + .seconds(60)
                while ContinuousClock.now < deadline, try await leased() == 0 {
                    try await Task.sleep(for: .milliseconds(5))
                }
            } else {
                try await Task.sleep(for: .milliseconds(Int.random(in: 300...1500, using: &random)))
            }
            for process in running {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
            leasedAtKill += try await leased()
        }
        #expect(leasedAtKill > 0, "at least one kill hit a batch in flight")
        // Let the last ones finish; they must then stop cleanly on SIGTERM.
        let finishers = try (0..<consumers).map { _ in try Self.startConsumer(uri: uri, database: database.name, workers: 2) }
        var stats = try await queue.stats()
        let deadline = ContinuousClock.now + .seconds(180)
        while stats.pending > 0 || stats.leased > 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            stats = try await queue.stats()
        }
        for process in finishers {
            // Signalled only once it handles SIGTERM (before that the loader runs, and the
            // default action would kill it — that is not what this test is about).
            #expect(await SignalReadiness.waitUntilCatching(SIGTERM, pid: process.processIdentifier,
                                                            while: { process.isRunning }))
            process.terminate()
            process.waitUntilExit()
            #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        }

        #expect(stats.deadLettered == 0)
        let tweets = database.collection(MongoSchema.Tweets.collection)
        #expect(try await tweets.count() == posts.count)
        for keyword in Self.keywords {
            let stored = try await tweets.count([MongoSchema.Tweets.keywords: .string(keyword)])
            let expected = posts.filter { $0.keywords.contains(keyword) }.count
            #expect(stored == expected)
            let buckets = try await store.series(keyword: keyword, in: Self.allTime,
                                                 resolution: .minute)
            #expect(buckets.reduce(0) { $0 + $1.count } == expected)
            for label in ["positive", "neutral", "negative"] {
                let labelled = try await tweets.count([MongoSchema.Tweets.keywords: .string(keyword),
                                                           MongoSchema.Tweets.label: .string(label)])
                let counted = buckets.reduce(0) { total, bucket in
                    total + (label == "positive" ? bucket.positive : label == "neutral" ? bucket.neutral : bucket.negative)
                }
                #expect(counted == labelled, "\(keyword) \(label)")
            }
        }
        try await StoreAudit.expectExactAggregates(store: store, tweets: tweets, posts: posts)
    }
}
