import ArgumentParser
import Consumer
import Foundation
import Logging
import MongoKit
import MongoStorage
import PipelineModel
import Sentiment
import Storage

/// `bench consumer`: consumer throughput on the in-memory path and, with `--mongo`,
/// through a MongoDB server next to that server's raw `insert_many` rate.
struct ConsumerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consumer",
        abstract: "Consumer posts/s: in-memory queue+store with 2 workers; via MongoDB as a ratio to raw insert_many.")

    @Option(help: "Posts through the in-memory path.")
    var posts = 200_000

    @Option(help: "Posts through MongoDB (and documents for the raw insert rate).")
    var mongoPosts = 5_000

    @Option(help: "MongoDB URI (a replica set); without it only the in-memory path runs.")
    var mongo: String?

    @Option(help: "Sentiment engine.")
    var engine = EngineKind.lexicon

    @Option(help: "Workers.")
    var workers = 2

    @Option(help: "Batch size.")
    var batch = 500

    func run() async throws {
        let scorer = try engine.makeEngine()
        let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let configuration = ConsumerConfiguration(workers: workers, batchSize: batch, idleBackoff: .milliseconds(1),
                                                  maxIdleBackoff: .milliseconds(5), workerName: "bench")
        let input = Self.makePosts(posts, prefix: "m")

        // Scoring alone, for scale.
        let scoreStart = ContinuousClock.now
        var scored = 0
        for chunk in stride(from: 0, to: input.count, by: batch) {
            scored += scorer.score(input[chunk..<min(input.count, chunk + batch)].map(\.text)).count
        }
        let scoreRate = Double(scored) / Self.seconds(ContinuousClock.now - scoreStart)
        // The same scoring split over `workers` threads: the ceiling of the pool on this machine.
        let parallelStart = ContinuousClock.now
        let parallelScored = await withTaskGroup(of: Int.self) { group in
            let share = (input.count + workers - 1) / workers
            for worker in 0..<workers {
                let part = Array(input[min(input.count, worker * share)..<min(input.count, (worker + 1) * share)])
                group.addTask {
                    var done = 0
                    for chunk in stride(from: 0, to: part.count, by: batch) {
                        done += scorer.score(part[chunk..<min(part.count, chunk + batch)].map(\.text)).count
                    }
                    return done
                }
            }
            return await group.reduce(0, +)
        }
        let parallelRate = Double(parallelScored) / Self.seconds(ContinuousClock.now - parallelStart)

        let queue = InMemoryTweetQueue(configuration: .init(capacity: max(posts, 1)))
        let store = InMemorySentimentStore()
        _ = try await queue.enqueue(input)
        let pool = ConsumerPool(queue: queue, store: store, engine: scorer, configuration: configuration, logger: quiet)
        let start = ContinuousClock.now
        try await pool.runUntilDrained()
        let memoryRate = Double(pool.progress.recorded) / Self.seconds(ContinuousClock.now - start)
        print("engine \(scorer.name), \(workers) workers, batch \(batch)")
        print(String(format: "scoring alone (1 thread):             %10.0f posts/s", scoreRate))
        print(String(format: "scoring alone (%d threads):            %10.0f posts/s", workers, parallelRate))
        print(String(format: "in-memory queue+store, %d workers:     %10.0f posts/s  (goal ≥ 100000: %@)",
                     workers, memoryRate, memoryRate >= 100_000 ? "met" : "not met"))

        guard let mongo else { return }
        let client = try MongoClient(uri: mongo, logger: quiet)
        let database = client.database("bench_consumer_\(UUID().uuidString.prefix(8).lowercased())")
        // The server's own raw rate: unordered insert_many of comparable documents, before
        // and after the consumer run (a server still busy with earlier work shows up as a
        // gap between the two); the ratio uses the higher one.
        let rawBefore = try await Self.insertRate(into: database.collection("rawBefore"), mongoPosts, prefix: "r")
        // The same inserts into a collection with the secondary index `tweets` carries:
        // what index maintenance alone costs this server.
        let indexed = database.collection("rawIndexed")
        _ = try await indexed.createIndexes([IndexModel(keys: ["keywords": 1, "timestamp": -1], name: "keyword_time")])
        let indexedRate = try await Self.insertRate(into: indexed, mongoPosts, prefix: "i")

        let mongoQueue = MongoTweetQueue(database: database, logger: quiet)
        let mongoStore = MongoSentimentStore(database: database, logger: quiet)
        try await mongoQueue.prepare()
        try await mongoStore.prepare()
        // What the listener pays: hand-off batches of 500, as it enqueues them.
        let queued = Self.makePosts(mongoPosts, prefix: "q")
        let enqueueStart = ContinuousClock.now
        for start in stride(from: 0, to: queued.count, by: 500) {
            _ = try await mongoQueue.enqueue(Array(queued[start..<min(queued.count, start + 500)]))
        }
        let enqueueRate = Double(queued.count) / Self.seconds(ContinuousClock.now - enqueueStart)
        let times = StepTimes()
        // A polling idle worker is load on the server the busy ones wait for: back off further.
        var mongoConfiguration = configuration
        mongoConfiguration.idleBackoff = .milliseconds(20)
        mongoConfiguration.maxIdleBackoff = .milliseconds(200)
        let mongoPool = ConsumerPool(queue: TimedQueue(base: mongoQueue, times: times),
                                     store: mongoStore, engine: scorer,
                                     recorder: TimedRecorder(base: MongoBatchRecorder(store: mongoStore, queue: mongoQueue),
                                                             times: times),
                                     configuration: mongoConfiguration, logger: quiet)
        let mongoStart = ContinuousClock.now
        try await mongoPool.runUntilDrained()
        let mongoRate = Double(mongoPool.progress.recorded) / Self.seconds(ContinuousClock.now - mongoStart)
        let rawAfter = try await Self.insertRate(into: database.collection("rawAfter"), mongoPosts, prefix: "s")
        try? await database.drop()
        let rawRate = max(rawBefore, rawAfter)
        print(String(format: "server raw insert_many:                %10.0f docs/s  (before %.0f, after %.0f)",
                     rawRate, rawBefore, rawAfter))
        print(String(format: "server insert_many, tweets' index:     %10.0f docs/s", indexedRate))
        print(String(format: "consumer via MongoDB, %d workers:      %10.0f posts/s  ratio %.2f (goal ≥ 0.5)",
                     workers, mongoRate, mongoRate / rawRate))
        print(String(format: "  ratio to the indexed insert rate: %.2f", mongoRate / indexedRate))
        print(String(format: "listener enqueue (batches of 500):     %10.0f posts/s  ratio %.2f", enqueueRate,
                     enqueueRate / rawRate))
        let both = 1 / (1 / mongoRate + 1 / enqueueRate)
        print(String(format: "listener + consumer on one server:     %10.0f posts/s  ratio %.2f", both, both / rawRate))
        print("time in each step (summed over workers):")
        for line in times.report { print(line) }
        // What the one transaction per batch (insert the posts, count them in their
        // buckets, acknowledge the batch) allows on its own, whatever claims and scoring cost.
        if let record = times.perItem("record") {
            print(String(format: "  recording alone allows %.0f posts/s per worker = %.2f × raw", 1 / record,
                         1 / record / rawRate))
        }
    }

    /// Unordered `insert_many` of `count` post-like documents in chunks of 1,000, in docs/s.
    static func insertRate(into collection: MongoCollection, _ count: Int, prefix: String) async throws -> Double {
        let documents = makePosts(count, prefix: prefix).map { post -> BSONDocument in
            ["_id": .string(post.id), "text": .string(post.text), "keywords": .array(post.keywords.map { .string($0) }),
             "timestamp": .date(post.timestamp), "compound": .double(0.5), "label": "positive"]
        }
        let start = ContinuousClock.now
        for chunk in stride(from: 0, to: documents.count, by: 1000) {
            _ = try await collection.insertMany(Array(documents[chunk..<min(documents.count, chunk + 1000)]))
        }
        return Double(documents.count) / seconds(ContinuousClock.now - start)
    }

    static func makePosts(_ count: Int, prefix: String) -> [Post] {
        let texts = ["I love this new phone, the camera is AMAZING!!! :)", "worst service ever, never again",
                     "The meeting is at 3pm in room 4.", "not bad, could be better I guess",
                     "so happy with the results today 🎉", "this is terrible and I'm really upset"]
        let keywords = [["phone"], ["service"], ["meeting", "work"], ["work"]]
        let base = Date(timeIntervalSince1970: 1_767_225_600)
        return (0..<count).map { i in
            Post(id: "\(prefix)\(i)", text: "\(texts[i % texts.count]) \(i)", keywords: keywords[i % keywords.count],
                 createdAt: base.addingTimeInterval(Double(i % 3600)), receivedAt: base.addingTimeInterval(Double(i % 3600)))
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        duration.inSeconds
    }
}

extension EngineKind: ExpressibleByArgument {}
