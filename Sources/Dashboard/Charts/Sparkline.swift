import Foundation
import PipelineModel
import Storage

/// A word-sized line of post volume over consecutive buckets, for the overview table.
public struct Sparkline: Sendable {
    /// Posts per bucket, oldest first.
    public var counts: [Int]
    /// What the line shows, for its tooltip.
    public var caption: String
    /// Size in CSS pixels.
    public var width = 140, height = 30

    /// A sparkline of `counts`.
    public init(counts: [Int], caption: String) {
        self.counts = counts
        self.caption = caption
    }

    /// The SVG element.
    public func render() -> HTML {
        let peak = max(1, counts.max() ?? 0)
        let inset = 2.0
        let w = Double(width) - 2 * inset, h = Double(height) - 2 * inset
        let step = counts.count > 1 ? w / Double(counts.count - 1) : 0
        var points: [String] = []
        points.reserveCapacity(counts.count)
        for (i, n) in counts.enumerated() {
            let x = inset + Double(i) * step
            let y = inset + h - Double(n) / Double(peak) * h
            points.append("\(SVG.c(x)),\(SVG.c(y))")
        }
        var area = points
        if let first = points.first, let last = points.last {
            area = ["\(last.split(separator: ",")[0]),\(SVG.c(inset + h))",
                    "\(first.split(separator: ",")[0]),\(SVG.c(inset + h))"]
            area = points + area
        }
        let title = "\(caption): peak \(NumberFormat.count(counts.max() ?? 0)), total \(NumberFormat.count(counts.reduce(0, +)))"
        let polygon: [HTML.Attribute] = [("points", area.joined(separator: " ")), ("fill", "#bee3f8")]
        let polyline: [HTML.Attribute] = [("points", points.joined(separator: " ")), ("fill", "none"),
                                          ("stroke", Palette.compound), ("stroke-width", "1.5")]
        return SVG.root(width: width, height: height, chart: "sparkline", title: title,
                        [.element("polygon", polygon), .element("polyline", polyline)])
    }
}
