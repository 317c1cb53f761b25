import Consumer
import Foundation
import Logging
import PipelineModel
import Storage
import PipelineTesting
import Sentiment
import Testing

@Suite(.timeLimit(.minutes(5))) struct ConsumerPoolTests {
    static let fast = ConsumerConfiguration(workers: 2, batchSize: 64, lease: .seconds(60),
                                            idleBackoff: .milliseconds(1), maxIdleBackoff: .milliseconds(2),
                                            errorBackoff: .milliseconds(1), statsInterval: .seconds(60),
                                            workerName: "test")

    /// Failures are expected in several tests; their warnings would only clutter the output.
    static let quiet = Logger(label: "consumer-test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Posts over three keywords (some with two) spread over a few minutes.
    static func posts(_ count: Int, prefix: String = "p") -> [Post] {
        let keywords = [["alpha"], ["beta"], ["alpha", "gamma"], ["gamma"]]
        return (0..<count).map { i in
            TestPosts.post("\(prefix)\(i)", keywords: keywords[i % keywords.count], at: 1_767_225_600 + i % 300,
                           text: "text \(i) of \(prefix)")
        }
    }

    /// Per keyword and label, the counts the engine's own scores give, computed without the pipeline.
    static func expectedCounts(_ posts: [Post]) -> [String: [SentimentLabel: Int]] {
        var counts: [String: [SentimentLabel: Int]] = [:]
        for post in posts {
            let label = SentimentLabel(compound: TestEngine.compound(of: post.text))
            for keyword in Set(post.keywords) { counts[keyword, default: [:]][label, default: 0] += 1 }
        }
        return counts
    }

    static func storedCounts(_ store: any SentimentStore) async throws -> [String: [SentimentLabel: Int]] {
        var counts: [String: [SentimentLabel: Int]] = [:]
        for summary in try await store.keywords() {
            let buckets = try await store.series(keyword: summary.keyword,
                                                 in: DateInterval(start: .distantPast, end: .distantFuture),
                                                 resolution: .hour)
            for bucket in buckets {
                counts[summary.keyword, default: [:]][.positive, default: 0] += bucket.positive
                counts[summary.keyword, default: [:]][.neutral, default: 0] += bucket.neutral
                counts[summary.keyword, default: [:]][.negative, default: 0] += bucket.negative
            }
        }
        return counts.mapValues { $0.filter { $0.value > 0 } }
    }

    @Test func drainsTheQueueScoringEveryPostOnce() async throws {
        let queue = InMemoryTweetQueue()
        let store = InMemorySentimentStore()
        let posts = Self.posts(1000)
        _ = try await queue.enqueue(posts)
        let pool = ConsumerPool(queue: queue, store: store, engine: TestEngine(), configuration: Self.fast,
                                logger: Self.quiet)
        try await pool.runUntilDrained()

        #expect(try await Self.storedCounts(store) == Self.expectedCounts(posts))
        let progress = pool.progress
        #expect(progress.recorded == 1000 && progress.duplicates == 0 && progress.failures == 0)
        #expect(progress.batches >= 1000 / 64)
        let stats = try await queue.stats()
        #expect(stats.pending == 0 && stats.leased == 0 && stats.deadLettered == 0)
        let stored = try await store.post(id: "p17")
        #expect(stored?.post == posts[17])
        #expect(stored?.engine == "test-engine" && stored?.engineVersion == "7")
        #expect(stored?.sentiment.compound == TestEngine.compound(of: posts[17].text))
    }

    /// Languages, honestly (#16): only posts the language gate admits reach the engine;
    /// the rest are recorded `unscored`, counted in volume. Default: the engine's languages
    /// plus `und`, and a post without `lang`; `scoreLanguages` replaces the set.
    @Test func postsOutsideTheScoredLanguagesAreRecordedUnscored() async throws {
        let langs: [String?] = ["en", "de", "und", nil, "EN-gb", "fr"]
        let posts = langs.enumerated().map { index, lang in
            var post = TestPosts.post("l\(index)", keywords: ["lang"], at: 1_767_225_600 + index, text: "text \(index)")
            post.lang = lang
            return post
        }
        for (languages, unscored) in [(nil, ["l1", "l5"]), (["de"], ["l0", "l2", "l4", "l5"])] as [([String]?, [String])] {
            let queue = InMemoryTweetQueue()
            let store = InMemorySentimentStore()
            _ = try await queue.enqueue(posts)
            var configuration = Self.fast
            configuration.scoreLanguages = languages
            try await ConsumerPool(queue: queue, store: store, engine: TestEngine(), configuration: configuration,
                                   logger: Self.quiet).runUntilDrained()
            for post in posts {
                let stored = try #require(try await store.post(id: post.id))
                let expected = unscored.contains(post.id) ? SentimentResult.unscored : TestEngine().score(post.text)
                #expect(stored.sentiment == expected, "\(post.id) lang \(post.lang ?? "none"), languages \(languages ?? [])")
            }
            let buckets = try await store.series(keyword: "lang", in: DateInterval(start: .distantPast, end: .distantFuture),
                                                 resolution: .hour)
            #expect(buckets.map(\.count) == [6] && buckets.map(\.unscored) == [unscored.count])
        }
    }

    @Test func redeliveredPostsAreAcknowledgedButNotCountedAgain() async throws {
        let queue = InMemoryTweetQueue()
        let store = InMemorySentimentStore()
        let posts = Self.posts(300)
        // The first 100 were recorded by a consumer that died before acknowledging them.
        let engine = TestEngine()
        let earlier = zip(posts[..<100], engine.score(posts[..<100].map(\.text))).map {
            ScoredPost(post: $0, sentiment: $1, engine: engine.name, engineVersion: engine.version, scoredAt: Date())
        }
        _ = try await store.record(earlier)
        _ = try await queue.enqueue(posts)
        let pool = ConsumerPool(queue: queue, store: store, engine: engine, configuration: Self.fast,
                                logger: Self.quiet)
        try await pool.runUntilDrained()

        #expect(pool.progress.recorded == 200 && pool.progress.duplicates == 100)
        #expect(try await Self.storedCounts(store) == Self.expectedCounts(posts))
        #expect(try await queue.stats().pending == 0)
    }

    @Test func aPostTheStoreRejectsIsDeadLetteredAndTheRestOfItsBatchRecorded() async throws {
        let queue = InMemoryTweetQueue(configuration: .init(maxFailures: 3))
        let store = PoisonRejectingStore()
        var posts = Self.posts(50)
        for index in [3, 20, 41] { posts[index].text = "poison \(index)" }
        _ = try await queue.enqueue(posts)
        let pool = ConsumerPool(queue: queue, store: store, engine: TestEngine(), configuration: Self.fast,
                                logger: Self.quiet)
        try await pool.runUntilDrained()

        let letters = try await queue.deadLetters(limit: 10)
        #expect(Set(letters.map(\.id)) == ["p3", "p20", "p41"])
        #expect(letters.allSatisfy { $0.failures == 3 && $0.reason.contains("rejected") })
        let healthy = posts.filter { !$0.text.hasPrefix("poison") }
        #expect(try await Self.storedCounts(store) == Self.expectedCounts(healthy))
        #expect(pool.progress.recorded == 47 && pool.progress.failures == 9)
    }

    @Test func anUnreachableStoreDefersBatchesWithoutDeadLettering() async throws {
        let queue = InMemoryTweetQueue(configuration: .init(maxFailures: 1))
        let store = SwitchableStore()
        let posts = Self.posts(200)
        _ = try await queue.enqueue(posts)
        let pool = ConsumerPool(queue: queue, store: store, engine: TestEngine(), configuration: Self.fast,
                                logger: Self.quiet)
        let run = Task { try await pool.runUntilDrained() }
        // Let several batches bounce off the dead store, then bring it back.
        while pool.progress.deferred < 3 * 64 { try await Task.sleep(for: .milliseconds(1)) }
        store.setDown(false)
        try await run.value

        #expect(try await queue.stats().deadLettered == 0)
        #expect(try await Self.storedCounts(store) == Self.expectedCounts(posts))
        #expect(pool.progress.failures == 0 && pool.progress.recorded == 200)
    }

    @Test func cancellingFinishesTheBatchInFlightAndLeavesNothingLeased() async throws {
        let queue = InMemoryTweetQueue()
        let (entered, enteredContinuation) = AsyncStream.makeStream(of: Void.self)
        let (gate, gateContinuation) = AsyncStream.makeStream(of: Void.self)
        let store = GatedStore(entered: enteredContinuation, gate: gate)
        _ = try await queue.enqueue(Self.posts(500))
        var configuration = Self.fast
        configuration.workers = 1
        configuration.batchSize = 100
        let pool = ConsumerPool(queue: queue, store: store, engine: TestEngine(), configuration: configuration,
                                logger: Self.quiet)
        let run = Task { try await pool.run() }
        for await _ in entered { break }
        // Shut down while the first batch is being recorded, then let the write complete.
        run.cancel()
        gateContinuation.yield()
        try await run.value

        let stats = try await queue.stats()
        #expect(stats.leased == 0)
        #expect(stats.pending == 400)
        #expect(try await store.keywords().reduce(0) { $0 + $1.totalCount } > 0)
        #expect(pool.progress.recorded == 100)
    }
}
