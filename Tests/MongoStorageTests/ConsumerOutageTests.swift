import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MongoKit
import MongoStorage
import PipelineModel
import Storage
import PipelineTesting
import Testing

/// The outage acceptance test: the MongoDB server itself is killed and restarted while
/// a `consumer` process works through the queue. The consumer must ride it out (retry
/// with backoff, leases) instead of exiting, and the counts must come out exact.
@Suite(.timeLimit(.minutes(5))) struct ConsumerOutageTests {
    @Test func serverRestartedMidRunLeavesExactCounts() async throws {
        _ = try TestEnvironment.requireMongoURI()  // the suite runs where the test server can run
        let server = try await PrivateMongoServer()
        defer { Task { await server.shutdown() } }
        let client = try MongoClient(uri: server.uri)
        let database = client.database("outage")
        let queue = MongoTweetQueue(database: database)
        let store = MongoSentimentStore(database: database)
        try await queue.prepare()
        try await store.prepare()
        let posts = ConsumerKillTests.posts(800)
        _ = try await queue.enqueue(posts)

        let metricsPort = freeLoopbackPort()
        let consumer = try ConsumerKillTests.startConsumer(uri: server.uri, database: database.name, workers: 2,
                                                           extra: ["--metrics-port", "\(metricsPort)"])
        defer { if consumer.isRunning { kill(consumer.processIdentifier, SIGKILL) } }
        // Wait until the consumer is demonstrably mid-run, then take the server away.
        while try await database.collection(MongoSchema.Tweets.collection).count() == 0 {
            try await Task.sleep(for: .milliseconds(50))
        }
        await server.kill()
        try await Task.sleep(for: .seconds(2))
        #expect(consumer.isRunning, "the consumer exited while the server was down")
        try await server.start()

        let deadline = ContinuousClock.now + .seconds(240)
        var stats = try await Self.stats(queue)
        while stats.pending > 0 || stats.leased > 0, ContinuousClock.now < deadline, consumer.isRunning {
            try await Task.sleep(for: .milliseconds(200))
            stats = try await Self.stats(queue)
        }
        #expect(stats.pending == 0 && stats.leased == 0 && stats.deadLettered == 0, "\(stats)")
        #expect(consumer.isRunning, "the consumer exited")
        // What it did, and what it went through, is visible to a Prometheus scrape.
        let (body, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(metricsPort)/metrics")!)
        let metrics = String(decoding: body, as: UTF8.self)
        for name in ["consumer_batches_total", "consumer_posts_total", "consumer_errors_total",
                     "consumer_redeliveries_total", "consumer_lag_seconds", "consumer_dead_letters",
                     "consumer_posts_per_second"] {
            #expect(metrics.contains("# TYPE \(name) "), "\(name) not exported")
        }
        consumer.terminate()
        consumer.waitUntilExit()
        #expect(consumer.terminationReason == .exit && consumer.terminationStatus == 0)

        try await StoreAudit.expectExactAggregates(store: store, tweets: database.collection(MongoSchema.Tweets.collection), posts: posts)
    }

    /// Queue statistics, retried while the restarted server warms up.
    static func stats(_ queue: MongoTweetQueue) async throws -> QueueStats {
        for _ in 0..<50 {
            if let stats = try? await queue.stats() { return stats }
            try await Task.sleep(for: .milliseconds(200))
        }
        return try await queue.stats()
    }
}
