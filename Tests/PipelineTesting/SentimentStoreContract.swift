import Foundation
import PipelineModel
import Storage
import Sentiment
import Testing

/// The semantics every `SentimentStore` must have, as reusable checks.
///
/// An implementation's test target runs every check against fresh, empty stores:
/// ```
/// @Test(arguments: SentimentStoreContract.Check.allCases)
/// func contract(_ check: SentimentStoreContract.Check) async throws {
///     try await SentimentStoreContract.run(check) { MyStore(...) }
/// }
/// ```
public enum SentimentStoreContract {
    /// Builds an empty store.
    public typealias Factory = @Sendable () async throws -> any SentimentStore

    /// One property of the contract.
    public enum Check: String, CaseIterable, Sendable, CustomStringConvertible {
        case recordIsExactlyOncePerID
        case aggregatesEqualFromScratchCounts
        case seriesRollsUpAndFiltersByRange
        case keywordsListTotals
        case extremesOrderByCompoundWithinRange
        case recentPostsNewestFirstWithKeywordFilter
        case postByIDRoundTrips
        case changeFeedDeliversToEverySubscriber
        case pingSucceeds
        case unscoredCountsInVolumeOnly
        case windowsAcrossHoursMatchAReckoning
        case postPagesAreStableWhilePostsArrive
        case postPagesFilterByRangeLabelAndWords

        public var description: String { rawValue }
    }

    static let t0 = 1_767_225_600  // 2026-01-01T00:00:00Z, an hour boundary
    static let everything = DateInterval(start: Date(timeIntervalSince1970: 0),
                                         end: Date(timeIntervalSince1970: 4_000_000_000))

    /// Runs one check against a fresh store from `make`.
    public static func run(_ check: Check, make: Factory) async throws {
        let store = try await make()
        switch check {
        case .recordIsExactlyOncePerID: try await recordIsExactlyOncePerID(store)
        case .aggregatesEqualFromScratchCounts: try await aggregatesEqualFromScratchCounts(store)
        case .seriesRollsUpAndFiltersByRange: try await seriesRollsUpAndFiltersByRange(store)
        case .keywordsListTotals: try await keywordsListTotals(store)
        case .extremesOrderByCompoundWithinRange: try await extremesOrderByCompoundWithinRange(store)
        case .recentPostsNewestFirstWithKeywordFilter: try await recentPostsNewestFirstWithKeywordFilter(store)
        case .postByIDRoundTrips: try await postByIDRoundTrips(store)
        case .changeFeedDeliversToEverySubscriber: try await changeFeedDeliversToEverySubscriber(store)
        case .pingSucceeds: try await store.ping()
        case .unscoredCountsInVolumeOnly: try await unscoredCountsInVolumeOnly(store)
        case .windowsAcrossHoursMatchAReckoning: try await windowsAcrossHoursMatchAReckoning(store)
        case .postPagesAreStableWhilePostsArrive: try await postPagesAreStableWhilePostsArrive(store)
        case .postPagesFilterByRangeLabelAndWords: try await postPagesFilterByRangeLabelAndWords(store)
        }
    }

    static func recordIsExactlyOncePerID(_ store: any SentimentStore) async throws {
        let a = TestPosts.scored("a", at: t0, compound: 0.5)
        let b = TestPosts.scored("b", at: t0 + 1, compound: -0.5)
        let c = TestPosts.scored("c", at: t0 + 2, compound: 0)
        #expect(try await store.record([a, b]) == RecordOutcome(inserted: 2, duplicates: 0))
        // A redelivered post, possibly scored differently, is neither stored nor counted again.
        var bAgain = b
        bAgain.sentiment = TestPosts.scored("b", compound: 0.9).sentiment
        #expect(try await store.record([bAgain, c, c]) == RecordOutcome(inserted: 1, duplicates: 2))
        #expect(try await store.record([]) == RecordOutcome(inserted: 0, duplicates: 0))
        #expect(try await store.post(id: "b")?.sentiment.compound == -0.5)
        let series = try await store.series(keyword: "swift", in: everything, resolution: .minute)
        #expect(series.count == 1)
        #expect(series.first?.count == 3)
        #expect(series.first.map { ($0.positive, $0.neutral, $0.negative) } ?? (0, 0, 0) == (1, 1, 1))
    }

    /// Many posts in overlapping batches with redeliveries; every minute bucket must equal
    /// a tally computed here directly from the distinct posts.
    static func aggregatesEqualFromScratchCounts(_ store: any SentimentStore) async throws {
        var random = SplitMix64(seed: 42)
        let keywords = ["alpha", "beta", "gamma"]
        var posts: [ScoredPost] = []
        for i in 0..<400 {
            var tags = [keywords[Int.random(in: 0..<3, using: &random)]]
            if Int.random(in: 0..<4, using: &random) == 0 { tags.append(keywords[Int.random(in: 0..<3, using: &random)]) }
            let compound = Double(Int.random(in: -100...100, using: &random)) / 100
            posts.append(TestPosts.scored("g\(i)", keywords: tags, at: t0 + Int.random(in: 0..<7200, using: &random),
                                          compound: compound))
        }
        var inserted = 0
        var start = 0
        while start < posts.count {
            let size = Int.random(in: 1...40, using: &random)
            var batch = Array(posts[start..<min(posts.count, start + size)])
            // Redeliveries: some posts of earlier batches come again.
            for _ in 0..<Int.random(in: 0...3, using: &random) where start > 0 {
                batch.append(posts[Int.random(in: 0..<start, using: &random)])
            }
            inserted += try await store.record(batch.shuffled(using: &random)).inserted
            start += size
        }
        #expect(inserted == posts.count)

        struct Tally: Equatable {
            var count = 0, positive = 0, neutral = 0, negative = 0
            var sum = 0.0, squares = 0.0
            var histogram = Array(repeating: 0, count: 10)
            var first = Int.max, last = Int.min
        }
        var expected: [String: [Int: Tally]] = [:]
        for post in posts {
            let seconds = Int(post.post.timestamp.timeIntervalSince1970)
            for keyword in Set(post.post.keywords) {
                var tally = expected[keyword, default: [:]][seconds / 60 * 60, default: Tally()]
                tally.count += 1
                switch post.sentiment.compound {
                case 0.05...: tally.positive += 1
                case ...(-0.05): tally.negative += 1
                default: tally.neutral += 1
                }
                tally.sum += post.sentiment.compound
                tally.squares += post.sentiment.compound * post.sentiment.compound
                tally.histogram[min(9, Int((post.sentiment.compound + 1) * 5))] += 1
                tally.first = min(tally.first, seconds)
                tally.last = max(tally.last, seconds)
                expected[keyword, default: [:]][seconds / 60 * 60] = tally
            }
        }
        for keyword in keywords {
            let series = try await store.series(keyword: keyword, in: everything, resolution: .minute)
            let want = expected[keyword] ?? [:]
            #expect(series.map { Int($0.bucketStart.timeIntervalSince1970) } == want.keys.sorted())
            for bucket in series {
                guard let tally = want[Int(bucket.bucketStart.timeIntervalSince1970)] else { continue }
                #expect(bucket.keyword == keyword && bucket.resolution == .minute)
                #expect(bucket.count == tally.count)
                #expect(bucket.positive == tally.positive && bucket.neutral == tally.neutral
                        && bucket.negative == tally.negative)
                #expect(abs(bucket.compoundSum - tally.sum) < 1e-9)
                #expect(abs(bucket.compoundSumOfSquares - tally.squares) < 1e-9)
                #expect(bucket.histogram == tally.histogram)
                #expect(bucket.firstSeen == Date(timeIntervalSince1970: TimeInterval(tally.first)))
                #expect(bucket.lastSeen == Date(timeIntervalSince1970: TimeInterval(tally.last)))
            }
        }
    }

    static func seriesRollsUpAndFiltersByRange(_ store: any SentimentStore) async throws {
        // Minutes 0, 1, 4, 5, 59, 60, 61 after t0, two posts in minute 1.
        let minutes = [0, 1, 1, 4, 5, 59, 60, 61]
        let posts = minutes.enumerated().map { index, minute in
            TestPosts.scored("s\(index)", keywords: ["roll"], at: t0 + minute * 60 + 7, compound: 0.5)
        }
        _ = try await store.record(posts + [TestPosts.scored("other", keywords: ["else"], at: t0, compound: 0.5)])
        func counts(_ resolution: BucketResolution, _ range: DateInterval = everything) async throws -> [Int: Int] {
            let series = try await store.series(keyword: "roll", in: range, resolution: resolution)
            #expect(series.allSatisfy { $0.resolution == resolution && $0.keyword == "roll" })
            #expect(series.map(\.bucketStart) == series.map(\.bucketStart).sorted())
            return Dictionary(uniqueKeysWithValues: series.map { (Int($0.bucketStart.timeIntervalSince1970) - t0, $0.count) })
        }
        #expect(try await counts(.minute) == [0: 1, 60: 2, 240: 1, 300: 1, 3540: 1, 3600: 1, 3660: 1])
        #expect(try await counts(.fiveMinutes) == [0: 4, 300: 1, 3300: 1, 3600: 2])
        #expect(try await counts(.hour) == [0: 6, 3600: 2])
        // Only minute buckets whose start lies in the range (ends included) count.
        let range = DateInterval(start: Date(timeIntervalSince1970: TimeInterval(t0 + 60)),
                                 end: Date(timeIntervalSince1970: TimeInterval(t0 + 3600)))
        #expect(try await counts(.minute, range) == [60: 2, 240: 1, 300: 1, 3540: 1, 3600: 1])
        #expect(try await counts(.hour, range) == [0: 5, 3600: 1])
        #expect(try await store.series(keyword: "missing", in: everything, resolution: .minute).isEmpty)
    }

    static func keywordsListTotals(_ store: any SentimentStore) async throws {
        #expect(try await store.keywords().isEmpty)
        _ = try await store.record([
            TestPosts.scored("k1", keywords: ["a"], at: t0, compound: 0.1),
            TestPosts.scored("k2", keywords: ["a", "b"], at: t0 + 500, compound: 0.1),
            TestPosts.scored("k3", keywords: ["b", "b"], at: t0 + 90, compound: 0.1),
        ])
        let summaries = try await store.keywords()
        let byName = Dictionary(uniqueKeysWithValues: summaries.map { ($0.keyword, $0) })
        #expect(summaries.count == 2)
        #expect(byName["a"] == KeywordSummary(keyword: "a", totalCount: 2,
                                             lastSeen: Date(timeIntervalSince1970: TimeInterval(t0 + 500))))
        #expect(byName["b"] == KeywordSummary(keyword: "b", totalCount: 2,
                                             lastSeen: Date(timeIntervalSince1970: TimeInterval(t0 + 500))))
    }

    static func extremesOrderByCompoundWithinRange(_ store: any SentimentStore) async throws {
        let compounds = [0.3, -0.9, 0.95, 0.0, -0.2, 0.7, -0.6, 0.1]
        var posts = compounds.enumerated().map { index, compound in
            TestPosts.scored("e\(index)", keywords: ["ex"], at: t0 + index * 60, compound: compound)
        }
        // Outside the range, and another keyword: both must be ignored.
        posts.append(TestPosts.scored("late", keywords: ["ex"], at: t0 + 3600, compound: 1.0))
        posts.append(TestPosts.scored("foreign", keywords: ["other"], at: t0, compound: -1.0))
        _ = try await store.record(posts)
        let range = DateInterval(start: Date(timeIntervalSince1970: TimeInterval(t0)),
                                 end: Date(timeIntervalSince1970: TimeInterval(t0 + 600)))
        let extremes = try await store.extremes(keyword: "ex", in: range, limit: 3)
        #expect(extremes.mostPositive.map(\.id) == ["e2", "e5", "e0"])
        #expect(extremes.mostNegative.map(\.id) == ["e1", "e6", "e4"])
        let all = try await store.extremes(keyword: "ex", in: everything, limit: 100)
        #expect(all.mostPositive.count == 9 && all.mostPositive.first?.id == "late")
        let none = try await store.extremes(keyword: "nothing", in: everything, limit: 3)
        #expect(none.mostPositive.isEmpty && none.mostNegative.isEmpty)
    }

    static func recentPostsNewestFirstWithKeywordFilter(_ store: any SentimentStore) async throws {
        // Recorded out of time order, as a replay or a redelivery can.
        let offsets = [50, 10, 40, 30, 20, 60]
        let posts = offsets.enumerated().map { index, offset in
            TestPosts.scored("r\(offset)", keywords: index.isMultiple(of: 2) ? ["even"] : ["odd"],
                             at: t0 + offset, compound: 0)
        }
        _ = try await store.record(Array(posts[0..<3]))
        _ = try await store.record(Array(posts[3...]))
        #expect(try await store.recentPosts(keyword: nil, limit: 4).map(\.id) == ["r60", "r50", "r40", "r30"])
        #expect(try await store.recentPosts(keyword: "even", limit: 10).map(\.id) == ["r50", "r40", "r20"])
        #expect(try await store.recentPosts(keyword: "odd", limit: 2).map(\.id) == ["r60", "r30"])
        #expect(try await store.recentPosts(keyword: "none", limit: 5).isEmpty)
    }

    /// Pages of 4 through 30 posts in runs of 3 sharing a timestamp, across minutes, recorded
    /// out of order; between pages newer posts arrive (and posts of another keyword). Every
    /// post appears once, in (timestamp, id) descending order, and the last page says so.
    static func postPagesAreStableWhilePostsArrive(_ store: any SentimentStore) async throws {
        let posts = (0..<30).map { i in
            TestPosts.scored(String(format: "d%02d", i), keywords: ["drill"], at: t0 + (i / 3) * 25,
                             compound: 0)
        }
        _ = try await store.record(Array(posts[15...]))
        _ = try await store.record(Array(posts[..<15]).reversed())
        let expected = posts.sorted {
            $0.post.timestamp != $1.post.timestamp ? $0.post.timestamp > $1.post.timestamp : $0.id > $1.id
        }.map(\.id)
        var seen: [String] = []
        var cursor: PostCursor?
        var pages = 0
        repeat {
            let page = try await store.posts(PostQuery(keyword: "drill", range: everything, limit: 4, after: cursor))
            seen += page.posts.map(\.id)
            pages += 1
            // What a live stream brings between two pages: newer posts, other keywords.
            _ = try await store.record([
                TestPosts.scored("new\(pages)", keywords: ["drill"], at: t0 + 3600 + pages, compound: 0),
                TestPosts.scored("other\(pages)", keywords: ["other"], at: t0 + 30, compound: 0),
            ])
            // The opaque form a URL carries decodes to the same cursor.
            cursor = page.next.flatMap { PostCursor(encoded: $0.encoded) }
            #expect(page.next == cursor)
        } while cursor != nil && pages < 20
        #expect(seen == expected)
        #expect(pages == 8)  // 7 full pages and 2 posts: the last page has no next

        // Exactly a page's worth left: the page that holds them says nothing follows.
        let exact = try await store.posts(PostQuery(keyword: "drill", range: everything, limit: 5,
                                                    after: PostCursor(timestamp: posts[5].post.timestamp, id: posts[5].id)))
        #expect(exact.posts.map(\.id) == ["d04", "d03", "d02", "d01", "d00"])
        #expect(exact.next == nil)
        #expect(try await store.posts(PostQuery(keyword: "none", range: everything, limit: 5)).posts.isEmpty)
    }

    /// Half-open ranges (adjacent ranges share no post), the label filter, and word search:
    /// case-insensitive, whole words, every word of the query, `#` and `@` ignored.
    static func postPagesFilterByRangeLabelAndWords(_ store: any SentimentStore) async throws {
        let texts: [(String, Double, String)] = [
            ("w0", 0.6, "I love #Swift"), ("w1", -0.6, "SWIFT is slow today"), ("w2", 0.6, "swiftly done"),
            ("w3", 0, "nothing here"), ("w4", -0.6, "love it, hate @swift"), ("w5", 0.6, "Swift, again: love"),
        ]
        let posts = texts.enumerated().map { index, entry in
            TestPosts.scored(TestPosts.post(entry.0, keywords: ["words"], at: t0 + index * 60, text: entry.2),
                             compound: entry.1)
        }
        _ = try await store.record(posts)
        func ids(_ range: DateInterval = everything, label: SentimentLabel? = nil, q: String? = nil,
                 limit: Int = 10) async throws -> [String] {
            var all: [String] = []
            var cursor: PostCursor?
            repeat {
                let page = try await store.posts(PostQuery(keyword: "words", range: range, label: label,
                                                           search: q.flatMap(PostSearch.init), limit: limit,
                                                           after: cursor))
                all += page.posts.map(\.id)
                cursor = page.next
            } while cursor != nil && all.count < 100
            return all
        }
        let start = Date(timeIntervalSince1970: TimeInterval(t0))
        #expect(try await ids(DateInterval(start: start.addingTimeInterval(60), duration: 120)) == ["w2", "w1"])
        #expect(try await ids(DateInterval(start: start, duration: 60)) == ["w0"])
        // "All time", as the API asks when no range is given.
        #expect(try await ids(DateInterval(start: .distantPast, end: .distantFuture)) == ["w5", "w4", "w3", "w2", "w1", "w0"])
        #expect(try await ids(label: .negative) == ["w4", "w1"])
        #expect(try await ids(label: .positive, limit: 1) == ["w5", "w2", "w0"])
        #expect(try await ids(q: "swift") == ["w5", "w4", "w1", "w0"])
        #expect(try await ids(q: "swift", limit: 1) == ["w5", "w4", "w1", "w0"])
        #expect(try await ids(q: "Love  #SWIFT") == ["w5", "w4", "w0"])
        #expect(try await ids(label: .positive, q: "swift") == ["w5", "w0"])
        #expect(try await ids(q: "absent") == [])
        #expect(PostSearch(" ,#! ") == nil)
    }

    static func postByIDRoundTrips(_ store: any SentimentStore) async throws {
        var post = TestPosts.post("1234567890123456789", keywords: ["a", "b"], at: t0,
                                  text: "Ünïcode & emoji 🎉 \"quoted\"")
        post.goldLabel = .positive
        var scored = TestPosts.scored(post, compound: 0.8125)
        scored.sentiment.probabilities = [0.125, 0.25, 0.625]
        var bare = TestPosts.scored(Post(id: "bare", text: "", keywords: ["a"],
                                         receivedAt: Date(timeIntervalSince1970: TimeInterval(t0))),
                                    compound: -0.25)
        bare.engine = "lexicon"
        _ = try await store.record([scored, bare])
        #expect(try await store.post(id: scored.id) == scored)
        #expect(try await store.post(id: "bare") == bare)
        #expect(try await store.post(id: "absent") == nil)
    }

    /// A post in a language the engine was not trained for counts in the volume and in
    /// `unscored`, and nowhere else: not in a label, the compound sums, the histogram or
    /// the extremes. Two batches, so a store that adds buckets must add `unscored` too.
    static func unscoredCountsInVolumeOnly(_ store: any SentimentStore) async throws {
        var german = TestPosts.post("de1", keywords: ["lang"], at: t0 + 5, text: "Das Essen war ausgezeichnet!")
        german.lang = "de"
        var french = TestPosts.post("fr1", keywords: ["lang"], at: t0 + 20, text: "C'est nul.")
        french.lang = "fr"
        _ = try await store.record([TestPosts.scored("en1", keywords: ["lang"], at: t0, compound: -0.5),
                                    TestPosts.unscored(german)])
        _ = try await store.record([TestPosts.unscored(french)])
        let buckets = try await store.series(keyword: "lang", in: everything, resolution: .minute)
        #expect(buckets.count == 1)
        let bucket = try #require(buckets.first)
        #expect(bucket.count == 3 && bucket.unscored == 2 && bucket.scoredCount == 1)
        #expect(bucket.negative == 1 && bucket.neutral == 0 && bucket.positive == 0)
        #expect(bucket.compoundSum == -0.5 && bucket.meanCompound == -0.5)
        #expect(bucket.histogram.reduce(0, +) == 1)
        let hour = try await store.series(keyword: "lang", in: everything, resolution: .hour)
        #expect(hour.map(\.unscored) == [2] && hour.map(\.count) == [3])
        #expect(try await store.keywords().first { $0.keyword == "lang" }?.totalCount == 3)
        let extremes = try await store.extremes(keyword: "lang", in: everything, limit: 10)
        #expect(extremes.mostPositive.map(\.id) == ["en1"] && extremes.mostNegative.map(\.id) == ["en1"])
        let stored = try await store.post(id: "de1")
        #expect(stored?.sentiment.label == .unscored && stored?.post.lang == "de")
    }

    static func changeFeedDeliversToEverySubscriber(_ store: any SentimentStore) async throws {
        let first = try await store.changes()
        let second = try await store.changes()
        let posts = (0..<5).map { TestPosts.scored("c\($0)", keywords: ["live"], at: t0 + $0, compound: 0.5) }
        _ = try await store.record(Array(posts[0..<2]))
        _ = try await store.record(posts)  // three new, two redelivered
        for feed in [first, second] {
            let seen = try await collect(feed, until: Set(posts.map(\.id)), bucketCount: 5, keyword: "live")
            #expect(seen.postIDs == Set(posts.map(\.id)))
            #expect(seen.duplicatePosts == 0)
        }
    }

    /// Makes a store's retention remove what it can now (a TTL sweep, newer posts pushing
    /// older ones out); it may record posts, but none with the keyword `retained`.
    public typealias Expiry = @Sendable (any SentimentStore) async throws -> Void

    /// Exactly-once must not depend on what retention deletes: a post recorded, removed by
    /// retention, then redelivered (or replayed from an archive) is refused as a duplicate
    /// and its buckets and keyword total are not counted twice. `make` builds an empty store
    /// whose retention removes a post received at `t0` once `expire` has run.
    public static func repeatAfterRetentionIsNotCountedAgain(make: Factory, expire: Expiry) async throws {
        let store = try await make()
        let post = TestPosts.scored("retained-1", keywords: ["retained"], at: t0, compound: 0.5)
        #expect(try await store.record([post]) == RecordOutcome(inserted: 1, duplicates: 0))
        try await expire(store)
        try #require(try await store.post(id: post.id) == nil, "retention did not remove the post")
        #expect(try await store.record([post]) == RecordOutcome(inserted: 0, duplicates: 1))
        let series = try await store.series(keyword: "retained", in: everything, resolution: .hour)
        #expect(series.reduce(0) { $0 + $1.count } == 1)
        #expect(try await store.keywords().first { $0.keyword == "retained" }?.totalCount == 1)
    }

    /// Reads a change feed until all `ids` were seen and the `keyword`'s minute bucket
    /// reached `bucketCount`; fails (instead of hanging) if that takes over 60 s.
    static func collect(_ feed: AsyncThrowingStream<StoreChange, Error>, until ids: Set<String>,
                        bucketCount: Int, keyword: String) async throws -> (postIDs: Set<String>, duplicatePosts: Int) {
        try await withThrowingTaskGroup(of: (Set<String>, Int)?.self) { group in
            group.addTask {
                var seen: Set<String> = []
                var duplicates = 0
                var latestCount = 0
                for try await change in feed {
                    switch change {
                    case .posts(let posts):
                        for post in posts where !seen.insert(post.id).inserted { duplicates += 1 }
                    case .aggregates(let buckets):
                        for bucket in buckets where bucket.keyword == keyword {
                            latestCount = max(latestCount, bucket.count)
                        }
                    }
                    if seen.isSuperset(of: ids) && latestCount >= bucketCount { return (seen, duplicates) }
                }
                return (seen, duplicates)
            }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return nil
            }
            defer { group.cancelAll() }
            guard let result = try await group.next() ?? nil else {
                Issue.record("change feed did not deliver within 60 s")
                return ([], 0)
            }
            return result
        }
    }
}
