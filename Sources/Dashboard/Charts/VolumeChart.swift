import Foundation
import PipelineModel
import Storage

/// Post volume per bucket stacked by label (negative at the bottom, positive on top), with
/// the mean compound drawn as a line against its own axis (−1…1) on the right.
public struct VolumeChart: Sendable {
    /// Consecutive buckets of equal width covering the window, empty ones included.
    public var buckets: [KeywordAggregate]
    /// Width of each bucket.
    public var resolution: BucketResolution
    /// Chart size in CSS pixels.
    public var width = 960, height = 320
    /// Scored posts a bucket needs before its mean compound is drawn (fewer is noise).
    public var minimumPosts = 1
    /// "Now": the bucket still filling at this instant is drawn as unfinished.
    public var now: Date?
    /// Where a bucket's bar links to (the posts behind it), given its start and end.
    public var link: (@Sendable (Date, Date) -> String)?

    /// A chart of `buckets` (see `BucketGrid` to fill the gaps).
    public init(buckets: [KeywordAggregate], resolution: BucketResolution) {
        self.buckets = buckets
        self.resolution = resolution
    }

    private var left: Double { 56 }
    private var right: Double { Double(width) - 56 }
    private var top: Double { 18 }
    private var bottom: Double { Double(height) - 46 }

    /// The SVG element.
    public func render() -> HTML {
        let perBucket = resolution == .minute ? "minute" : resolution == .fiveMinutes ? "5 minutes" : "hour"
        let start = buckets.first?.bucketStart ?? Date(timeIntervalSince1970: 0)
        let end = start.addingTimeInterval(Double(buckets.count * resolution.seconds))
        let total = buckets.reduce(0) { $0 + $1.count }
        let title = "Posts per \(perBucket) by sentiment with mean compound, \(TimeFormat.span(from: start, to: end)): \(NumberFormat.count(total)) posts"
        let axis = ValueTicks(maximum: Double(buckets.map(\.count).max() ?? 0))
        let slot = buckets.isEmpty ? 0 : (right - left) / Double(buckets.count)
        let barWidth = max(1, slot * (slot > 6 ? 0.8 : 0.9))
        func y(count: Double) -> Double { bottom - count / axis.top * (bottom - top) }
        func y(compound: Double) -> Double { top + (1 - compound) / 2 * (bottom - top) }
        func x(_ date: Date) -> Double {
            left + date.timeIntervalSince(start) / max(1, end.timeIntervalSince(start)) * (right - left)
        }

        var parts: [HTML] = []
        // Grid and left axis (counts).
        for value in axis.values {
            let yy = y(count: value)
            parts.append(SVG.line(x1: left, y1: yy, x2: right, y2: yy, stroke: Palette.grid))
            parts.append(SVG.text(NumberFormat.axis(value), x: left - 6, y: yy + 4, anchor: "end"))
        }
        // Right axis (compound).
        for value in [-1.0, -0.5, 0, 0.5, 1] {
            let yy = y(compound: value)
            parts.append(SVG.line(x1: right, y1: yy, x2: right + 4, y2: yy, stroke: Palette.compound))
            parts.append(SVG.text(NumberFormat.compound(value), x: right + 7, y: yy + 4, anchor: "start",
                                  fill: Palette.compound))
        }
        parts.append(SVG.line(x1: left, y1: y(compound: 0), x2: right, y2: y(compound: 0),
                              stroke: Palette.compound, dash: "3 4", width: 0.6))
        // Time axis.
        parts.append(SVG.line(x1: left, y1: bottom, x2: right, y2: bottom, stroke: Palette.axis))
        for tick in TimeTicks(interval: DateInterval(start: start, end: end)).ticks {
            let xx = x(tick.date)
            parts.append(SVG.line(x1: xx, y1: bottom, x2: xx, y2: bottom + 4, stroke: Palette.axis))
            parts.append(SVG.text(tick.label, x: xx, y: bottom + 16))
        }
        parts.append(SVG.text("time (UTC)", x: (left + right) / 2, y: Double(height) - 8))
        parts.append(SVG.text("posts per \(perBucket)", x: 14, y: (top + bottom) / 2, rotate: true))
        parts.append(SVG.text("mean compound", x: Double(width) - 8, y: (top + bottom) / 2,
                              fill: Palette.compound, rotate: true))

        // Bars, one tooltip group per bucket.
        var bars: [HTML] = []
        bars.reserveCapacity(buckets.count)
        for (i, bucket) in buckets.enumerated() {
            let x0 = left + Double(i) * slot + (slot - barWidth) / 2
            var stack: [HTML] = [SVG.rect(x: left + Double(i) * slot, y: top, width: slot,
                                          height: bottom - top, fill: "transparent")]
            var base = 0
            for (label, n) in [(SentimentLabel.negative, bucket.negative), (.neutral, bucket.neutral),
                               (.positive, bucket.positive), (.unscored, bucket.unscored)] where n > 0 {
                let y1 = y(count: Double(base)), y2 = y(count: Double(base + n))
                stack.append(SVG.rect(x: x0, y: y2, width: barWidth, height: y1 - y2,
                                      fill: Palette.color(of: label)))
                base += n
            }
            let end = bucket.bucketStart.addingTimeInterval(Double(resolution.seconds))
            let tip = "\(TimeFormat.span(from: bucket.bucketStart, to: end))\n"
                + "\(NumberFormat.count(bucket.count)) posts: \(bucket.positive) positive, "
                + "\(bucket.neutral) neutral, \(bucket.negative) negative"
                + (bucket.unscored > 0 ? ", \(bucket.unscored) unscored (language)\n" : "\n")
                + "mean compound \(NumberFormat.compound(bucket.meanCompound))"
            let unfinished = now.map { $0 < end } ?? false
            let bar = SVG.tooltip(tip + (unfinished ? "\nstill filling" : ""), stack,
                                  extra: [("class", unfinished ? "bucket unfinished" : "bucket")])
            bars.append(link.map { .element("a", [("href", $0(bucket.bucketStart, end))], [bar]) } ?? bar)
        }
        parts.append(.element("g", [("class", "bars")], bars))

        // Mean compound line, broken where a bucket is empty.
        var path = ""
        var singles: [HTML] = []
        var runLength = 0
        for (i, bucket) in buckets.enumerated() {
            guard bucket.scoredCount >= minimumPosts, let mean = bucket.meanCompound else {
                runLength = 0
                continue
            }
            let cx = left + (Double(i) + 0.5) * slot, cy = y(compound: mean)
            path += (runLength == 0 ? "M" : "L") + "\(SVG.c(cx)) \(SVG.c(cy))"
            let isolated = runLength == 0 && (i + 1 == buckets.count || buckets[i + 1].scoredCount < minimumPosts)
            if isolated || buckets.count <= 72 {
                let circle: [HTML.Attribute] = [("cx", SVG.c(cx)), ("cy", SVG.c(cy)), ("r", "2.5"),
                                                ("fill", Palette.compound)]
                singles.append(.element("circle", circle))
            }
            runLength += 1
        }
        if !path.isEmpty {
            let line: [HTML.Attribute] = [("d", path), ("fill", "none"), ("stroke", Palette.compound),
                                          ("stroke-width", "2"), ("stroke-linejoin", "round"),
                                          ("class", "compound-line")]
            parts.append(.element("path", line))
        }
        parts.append(.element("g", [("class", "compound-points")], singles))
        return SVG.root(width: width, height: height, chart: "volume", title: title, parts)
    }
}
