import Foundation
import PipelineModel
import Storage
import Testing

extension SentimentStoreContract {
    /// Windows that start and end inside hours, cover whole hours, or lie within one hour:
    /// series, extremes and the newest posts equal a reckoning from the posts themselves,
    /// whichever way a store keeps them (MongoDB reads whole hours from hourly rollups and
    /// the partial hours at the edges from minute buckets and posts). 480 posts over five
    /// hours, three keywords, some posts in two keywords, some unscored, recorded in four
    /// batches out of time order.
    static func windowsAcrossHoursMatchAReckoning(_ store: any SentimentStore) async throws {
        var random = SplitMix64(seed: 2026_12_06)
        let keywords = ["alpha", "beta", "gamma"]
        var posts: [ScoredPost] = []
        // Distinct seconds and compounds: each ordering has one answer.
        var seconds = Array(0..<(5 * 3600)).shuffled(using: &random).prefix(480).sorted()
        seconds[0] = 3600  // posts exactly on hour boundaries too
        seconds[1] = 7200
        for (index, offset) in seconds.enumerated() {
            var tags = [keywords[random.next(below: 3)]]
            if random.next(below: 5) == 0 { tags.append(keywords[random.next(below: 3)]) }
            let post = TestPosts.post("h\(index)", keywords: tags, at: t0 + offset)
            if random.next(below: 10) == 0 {
                posts.append(TestPosts.unscored(post))
            } else {
                posts.append(TestPosts.scored(post, compound: (Double(index) / 480 * 2 - 1) * (index.isMultiple(of: 2) ? 1 : -0.999)))
            }
        }
        let shuffled = posts.shuffled(using: &random)
        for start in stride(from: 0, to: shuffled.count, by: 120) {
            _ = try await store.record(Array(shuffled[start..<min(shuffled.count, start + 120)]))
        }

        func at(_ offset: Int) -> Date { Date(timeIntervalSince1970: TimeInterval(t0 + offset)) }
        let windows = [
            DateInterval(start: at(0), end: at(5 * 3600)),             // whole hours, end on a boundary
            DateInterval(start: at(1234), end: at(4 * 3600 + 1111)),   // both edges inside hours
            DateInterval(start: at(3600), end: at(3 * 3600 - 1)),      // boundaries, end a second short
            DateInterval(start: at(3700), end: at(3 * 3600 + 59)),     // the last minute of an hour just in
            DateInterval(start: at(2 * 3600 + 100), end: at(2 * 3600 + 3000)),  // inside one hour
            DateInterval(start: at(-7200), end: at(9 * 3600)),          // beyond the data
        ]
        for keyword in keywords {
            let mine = posts.filter { $0.post.keywords.contains(keyword) }
            for window in windows {
                // Series: minute buckets whose start lies in the window, rolled up to hours.
                let minutes = Aggregation.buckets(for: mine, resolution: .minute).values
                    .filter { $0.keyword == keyword && window.contains($0.bucketStart) }
                let expected = Aggregation.rollUp(minutes, to: .hour)
                let series = try await store.series(keyword: keyword, in: window, resolution: .hour)
                #expect(series.map(\.bucketStart) == expected.map(\.bucketStart), "\(keyword) \(window)")
                for (got, want) in zip(series, expected) {
                    let counts: [Int] = [got.count, got.positive, got.neutral, got.negative, got.unscored]
                    let wanted: [Int] = [want.count, want.positive, want.neutral, want.negative, want.unscored]
                    #expect(counts == wanted, "\(keyword) \(window)")
                    #expect(abs(got.compoundSum - want.compoundSum) < 1e-9)
                    #expect(got.histogram == want.histogram)
                    #expect(got.resolution == .hour)
                }
                // Extremes: scored posts whose timestamp lies in the window.
                let inWindow = mine.filter { window.contains($0.post.timestamp) && $0.sentiment.label != .unscored }
                for limit in [1, 3, 5, 8] {
                    let extremes = try await store.extremes(keyword: keyword, in: window, limit: limit)
                    let positive = inWindow.sorted { $0.sentiment.compound > $1.sentiment.compound }.prefix(limit)
                    let negative = inWindow.sorted { $0.sentiment.compound < $1.sentiment.compound }.prefix(limit)
                    #expect(extremes.mostPositive.map(\.id) == positive.map(\.id), "\(keyword) \(window) \(limit)")
                    #expect(extremes.mostNegative.map(\.id) == negative.map(\.id), "\(keyword) \(window) \(limit)")
                }
            }
            for limit in [1, 7, 20, 30] {
                let newest = mine.sorted { $0.post.timestamp > $1.post.timestamp }.prefix(limit)
                #expect(try await store.recentPosts(keyword: keyword, limit: limit).map(\.id) == newest.map(\.id),
                        "\(keyword) \(limit)")
            }
        }
        for limit in [1, 20, 25] {
            let newest = posts.sorted { $0.post.timestamp > $1.post.timestamp }.prefix(limit)
            #expect(try await store.recentPosts(keyword: nil, limit: limit).map(\.id) == newest.map(\.id), "all \(limit)")
        }
        // The newest posts of a keyword whose last hour holds fewer than asked for.
        _ = try await store.record([TestPosts.scored("lone", keywords: ["alpha"], at: t0 + 8 * 3600, compound: 0.5)])
        let alpha = [posts.filter { $0.post.keywords.contains("alpha") }.max { $0.post.timestamp < $1.post.timestamp }!]
        #expect(try await store.recentPosts(keyword: "alpha", limit: 2).map(\.id) == ["lone"] + alpha.map(\.id))
    }
}
