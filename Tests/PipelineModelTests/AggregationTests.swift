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
