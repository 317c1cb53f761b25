import Foundation
import PipelineModel
import Testing

@Suite struct AggregationTests {
    func scored(_ id: String, _ keywords: [String], _ compound: Double, at seconds: Double) -> ScoredPost {
        ScoredPost(post: Post(id: id, text: "t", keywords: keywords,
                              receivedAt: Date(timeIntervalSince1970: seconds)),
                   sentiment: SentimentResult(label: SentimentLabel(compound: compound), compound: compound,
                                              positive: 0, neutral: 1, negative: 0),
                   engine: "test", engineVersion: "0", scoredAt: Date(timeIntervalSince1970: seconds))
    }

    @Test func bucketsCountEachKeywordOfAPostOnce() {
        let posts = [scored("1", ["a", "b", "a"], 0.5, at: 60), scored("2", ["a"], -0.7, at: 119.9),
                     scored("3", ["a"], 0.0, at: 120)]
        let buckets = Aggregation.buckets(for: posts)
        let a60 = buckets[AggregateKey(keyword: "a", bucketStart: Date(timeIntervalSince1970: 60))]
        #expect(a60?.count == 2)
        #expect(a60?.positive == 1 && a60?.negative == 1 && a60?.neutral == 0)
        #expect(buckets[AggregateKey(keyword: "b", bucketStart: Date(timeIntervalSince1970: 60))]?.count == 1)
        #expect(buckets[AggregateKey(keyword: "a", bucketStart: Date(timeIntervalSince1970: 120))]?.neutral == 1)
        #expect(buckets.count == 3)
    }

    /// An unscored post (#16) is volume only: the mean, spread and histogram are those of
    /// the scored posts, and merging keeps the split.
    @Test func unscoredPostsCountInVolumeOnly() {
        var unscored = scored("3", ["a"], 0, at: 70)
        unscored.sentiment = .unscored
        let buckets = Aggregation.buckets(for: [scored("1", ["a"], 0.5, at: 60), unscored, scored("2", ["a"], -0.7, at: 80)])
        let a = buckets.values.first { $0.keyword == "a" }!
        #expect(a.count == 3 && a.unscored == 1 && a.scoredCount == 2)
        #expect(a.positive == 1 && a.negative == 1 && a.neutral == 0)
        #expect(abs(a.meanCompound! - (-0.1)) < 1e-12 && abs(a.compoundStandardDeviation! - 0.6) < 1e-12)
        #expect(a.histogram.reduce(0, +) == 2)
        var merged = a
        merged.merge(a)
        #expect(merged.count == 6 && merged.unscored == 2 && abs(merged.meanCompound! - (-0.1)) < 1e-12)
        var onlyUnscored = KeywordAggregate(keyword: "a", bucketStart: Date(timeIntervalSince1970: 60))
        onlyUnscored.add(label: .unscored, compound: 0, at: Date(timeIntervalSince1970: 61))
        #expect(onlyUnscored.count == 1 && onlyUnscored.meanCompound == nil && onlyUnscored.compoundStandardDeviation == nil)
    }

    @Test func unscoredIsNoClassAndNoGoldLabel() {
        #expect(SentimentLabel.classes == [.negative, .neutral, .positive])
        #expect(SentimentLabel(className: "unscored") == nil && SentimentLabel(className: "neutral") == .neutral)
        #expect(SentimentLabel(rawValue: "unscored") == .unscored && SentimentLabel.positive < .unscored)
    }

    @Test func histogramBinsCoverTheClosedRange() {
        #expect(KeywordAggregate.histogramBin(for: -1) == 0)
        #expect(KeywordAggregate.histogramBin(for: -0.81) == 0)
        #expect(KeywordAggregate.histogramBin(for: -0.79) == 1)
        #expect(KeywordAggregate.histogramBin(for: 0) == 5)
        #expect(KeywordAggregate.histogramBin(for: 1) == 9)
        #expect(KeywordAggregate.histogramBin(for: 7) == 9)
    }

    @Test func rollUpEqualsAggregatingAtTheCoarseResolutionDirectly() {
        var posts: [ScoredPost] = []
        var generator = SystemRandomNumberGenerator()
        for i in 0..<500 {
            posts.append(scored("\(i)", ["k"], Double.random(in: -1...1, using: &generator),
                                at: Double.random(in: 0..<20_000, using: &generator)))
        }
        let minute = Aggregation.buckets(for: posts).values
        let rolled = Aggregation.rollUp(minute, to: .hour)
        let direct = Aggregation.buckets(for: posts, resolution: .hour).values.sorted { $0.bucketStart < $1.bucketStart }
        #expect(rolled.map(\.count) == direct.map(\.count))
        #expect(rolled.map(\.histogram) == direct.map(\.histogram))
        #expect(rolled.map(\.positive) == direct.map(\.positive))
        for (r, d) in zip(rolled, direct) {
            #expect(abs(r.compoundSum - d.compoundSum) < 1e-9)
            #expect(r.firstSeen == d.firstSeen && r.lastSeen == d.lastSeen)
        }
        #expect(rolled.reduce(0) { $0 + $1.count } == 500)
    }
}
