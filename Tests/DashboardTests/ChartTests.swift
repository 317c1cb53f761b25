@testable import Dashboard
import Foundation
import PipelineModel
import Storage
import Sentiment
import Testing

@Suite struct ChartTests {
    let start = Date(timeIntervalSince1970: 1_795_953_600) // 12:00Z

    func bucket(_ offset: Int, negative: Int = 0, neutral: Int = 0, positive: Int = 0,
                compound: Double = 0) -> KeywordAggregate {
        var b = KeywordAggregate(keyword: "k", bucketStart: start.addingTimeInterval(Double(offset * 60)))
        for _ in 0..<negative { b.add(label: .negative, compound: compound, at: b.bucketStart) }
        for _ in 0..<neutral { b.add(label: .neutral, compound: compound, at: b.bucketStart) }
        for _ in 0..<positive { b.add(label: .positive, compound: compound, at: b.bucketStart) }
        return b
    }

    /// Heights of the rects filled with `color`, in document order.
    func heights(in svg: String, fill color: String) -> [String] {
        let pattern = #/<rect x="[^"]*" y="[^"]*" width="[^"]*" height="([^"]*)" fill="([^"]*)"/#
        return svg.matches(of: pattern).filter { String($0.output.2) == color }.map { String($0.output.1) }
    }

    @Test func volumeBarsStackByLabelInProportion() {
        let svg = VolumeChart(buckets: [bucket(0, negative: 3, neutral: 1, positive: 2, compound: 0.1),
                                        bucket(1), bucket(2, positive: 1, compound: 0.5)],
                              resolution: .minute).render().rendered
        // Axis top is 6 posts over a 256 px plot: 3 negative → 128 px, 1 neutral → 42.7, 2 positive → 85.3.
        #expect(heights(in: svg, fill: "#c53030") == ["128"])
        #expect(heights(in: svg, fill: "#a0aec0") == ["42.7"])
        #expect(heights(in: svg, fill: "#2f855a") == ["85.3", "42.7"])
        #expect(svg.contains("6 posts: 2 positive, 1 neutral, 3 negative"))
        #expect(svg.contains("Nov 29 12:00–12:01 UTC"))
        #expect(svg.contains(">posts per minute</text>"))
        #expect(svg.contains(">mean compound</text>"))
        #expect(svg.contains(">time (UTC)</text>"))
    }

    @Test func aBucketsMeanIsDrawnOnlyFromTheMinimumOfScoredPosts() {
        var chart = VolumeChart(buckets: [bucket(0, positive: 4, compound: 0.5), bucket(1, positive: 5, compound: 0.5)],
                                resolution: .minute)
        chart.minimumPosts = 5
        let svg = chart.render().rendered
        // Only the second bucket reaches 5: one isolated point, no line through the first.
        #expect(svg.matches(of: #/<circle /#).count == 1)
        #expect(!svg.contains("L"), "no segment joins a 4-post bucket")
        chart.minimumPosts = 4
        #expect(chart.render().rendered.matches(of: #/<circle /#).count == 2)
    }

    @Test func meanLineBreaksAtEmptyBucketsAndUsesTheRightAxis() throws {
        let svg = VolumeChart(buckets: [bucket(0, positive: 1, compound: 1), bucket(1, positive: 1, compound: 1),
                                        bucket(2), bucket(3, negative: 1, compound: -1)],
                              resolution: .minute).render().rendered
        let d = try #require(svg.firstMatch(of: #/<path d="([^"]*)"/#)).output.1
        #expect(d.filter { $0 == "M" }.count == 2)
        #expect(d.filter { $0 == "L" }.count == 1)
        // compound +1 sits at the plot top (y 18), −1 at its bottom (y 274).
        #expect(d.contains(" 18L") && d.hasSuffix(" 274"))
        #expect(svg.contains(">+1.00</text>") && svg.contains(">\u{2212}1.00</text>"))
    }

    @Test func chartTextIsEscaped() {
        let svg = Sparkline(counts: [1, 2], caption: "<script>x</script>").render().rendered
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("&lt;script&gt;"))
    }

    @Test func histogramHasTenBinsWithTooltips() {
        var bins = Array(repeating: 0, count: 10)
        bins[0] = 4
        bins[9] = 2
        let svg = HistogramChart(bins: bins).render().rendered
        #expect(svg.matches(of: #/<g class="bin">/#).count == 10)
        #expect(svg.contains("compound \u{2212}1.00 to \u{2212}0.80: 4 posts (67%)"))
        #expect(svg.contains("compound +0.80 to +1.00: 2 posts (33%)"))
        #expect(svg.contains(">compound score</text>"))
    }

    @Test func shareBarSplitsWidthByShare() {
        let svg = ShareBar(positive: 1, neutral: 1, negative: 2).render().rendered
        #expect(svg.contains("width=\"35\" height=\"14\" fill=\"#2f855a\""))
        #expect(svg.contains("width=\"70\" height=\"14\" fill=\"#c53030\""))
        #expect(svg.contains("positive 25%, neutral 25%, negative 50%"))
        #expect(ShareBar(positive: 0, neutral: 0, negative: 0).render().rendered.contains("no posts"))
    }

    @Test func sparklineScalesToPeak() {
        let svg = Sparkline(counts: [0, 4, 2], caption: "posts").render().rendered
        // 140 × 30 with a 2 px inset: x 2, 70, 138; peak at y 2, zero at y 28.
        #expect(svg.contains("points=\"2,28 70,2 138,15\""))
        #expect(svg.contains("posts: peak 4, total 6"))
    }
}
