import Foundation
import PipelineModel

/// Several keywords' volume on one time axis: per bucket, one bar per keyword side by
/// side in the keyword's colour, each linking to the posts behind it.
struct ComparisonChart: Sendable {
    /// Series in legend order, with posts per bucket (all of equal length).
    var series: [(keyword: String, volume: [Int])]
    /// Start of each bucket.
    var bucketStarts: [Date]
    /// Width of each bucket.
    var resolution: BucketResolution
    /// "Now": the bucket still filling is drawn pale.
    var now: Date?
    /// Where a keyword's bar links to, given the keyword and the bucket's start and end.
    var link: @Sendable (String, Date, Date) -> String
    var width = 960, height = 300

    /// Colours told apart by most readers, one per compared keyword (cycled past eight).
    static let colors = ["#2b6cb0", "#dd6b20", "#2f855a", "#805ad5", "#c53030", "#319795", "#b7791f", "#4a5568"]

    func render() -> HTML {
        let left = 56.0, right = Double(width) - 16, top = 14.0, bottom = Double(height) - 40
        let axis = ValueTicks(maximum: Double(series.flatMap(\.volume).max() ?? 0))
        let slot = bucketStarts.isEmpty ? 0 : (right - left) / Double(bucketStarts.count)
        let barWidth = series.isEmpty ? 0 : max(1, slot * 0.85 / Double(series.count))
        func y(_ count: Int) -> Double { bottom - Double(count) / axis.top * (bottom - top) }
        var parts: [HTML] = []
        for value in axis.values {
            parts.append(SVG.line(x1: left, y1: y(Int(value)), x2: right, y2: y(Int(value)), stroke: Palette.grid))
            parts.append(SVG.text(NumberFormat.axis(value), x: left - 6, y: y(Int(value)) + 4, anchor: "end"))
        }
        parts.append(SVG.line(x1: left, y1: bottom, x2: right, y2: bottom, stroke: Palette.axis))
        if let first = bucketStarts.first {
            let end = first.addingTimeInterval(Double(bucketStarts.count * resolution.seconds))
            for tick in TimeTicks(interval: DateInterval(start: first, end: end)).ticks {
                let x = left + tick.date.timeIntervalSince(first) / max(1, end.timeIntervalSince(first)) * (right - left)
                parts.append(SVG.line(x1: x, y1: bottom, x2: x, y2: bottom + 4, stroke: Palette.axis))
                parts.append(SVG.text(tick.label, x: x, y: bottom + 16))
            }
        }
        parts.append(SVG.text("time (UTC)", x: (left + right) / 2, y: Double(height) - 6))
        var bars: [HTML] = []
        for (i, start) in bucketStarts.enumerated() {
            let end = start.addingTimeInterval(Double(resolution.seconds))
            let unfinished = now.map { $0 < end } ?? false
            for (k, entry) in series.enumerated() {
                let count = entry.volume[i]
                guard count > 0 else { continue }
                let x = left + Double(i) * slot + slot * 0.075 + Double(k) * barWidth
                let tip = "\(entry.keyword): \(NumberFormat.count(count)) posts, \(TimeFormat.span(from: start, to: end))"
                    + (unfinished ? " (still filling)" : "")
                let bar = SVG.tooltip(tip, [SVG.rect(x: x, y: y(count), width: barWidth, height: bottom - y(count),
                                                     fill: Self.colors[k % Self.colors.count])],
                                      extra: [("class", unfinished ? "bucket unfinished" : "bucket"),
                                              ("data-keyword", entry.keyword)])
                bars.append(.element("a", [("href", link(entry.keyword, start, end))], [bar]))
            }
        }
        parts.append(.element("g", [("class", "bars")], bars))
        let title = "Posts per \(resolution.rawValue) bucket of " + series.map(\.keyword).joined(separator: ", ")
        return SVG.root(width: width, height: height, chart: "compare", title: title, parts)
    }
}
