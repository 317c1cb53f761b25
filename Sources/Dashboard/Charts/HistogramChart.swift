import Foundation
import PipelineModel
import Storage

/// Distribution of compound scores in the aggregate's ten bins over −1…1.
public struct HistogramChart: Sendable {
    /// Counts per bin, from −1 upwards (`KeywordAggregate.histogram`).
    public var bins: [Int]
    /// Chart size in CSS pixels.
    public var width = 460, height = 240

    /// A histogram of `bins`.
    public init(bins: [Int]) { self.bins = bins }

    /// The SVG element.
    public func render() -> HTML {
        let left = 48.0, right = Double(width) - 26, top = 14.0, bottom = Double(height) - 42
        let axis = ValueTicks(maximum: Double(bins.max() ?? 0))
        let total = bins.reduce(0, +)
        let slot = (right - left) / Double(max(1, bins.count))
        var parts: [HTML] = []
        for value in axis.values {
            let y = bottom - value / axis.top * (bottom - top)
            parts.append(SVG.line(x1: left, y1: y, x2: right, y2: y, stroke: Palette.grid))
            parts.append(SVG.text(NumberFormat.axis(value), x: left - 6, y: y + 4, anchor: "end"))
        }
        let binWidth = 2.0 / Double(max(1, bins.count))
        for (i, n) in bins.enumerated() {
            let lower = -1 + Double(i) * binWidth, upper = lower + binWidth
            let mid = (lower + upper) / 2
            let fill = mid >= 0.05 ? Palette.positive : mid <= -0.05 ? Palette.negative : Palette.neutral
            let h = Double(n) / axis.top * (bottom - top)
            let share = total == 0 ? "" : " (\(NumberFormat.percent(Double(n) / Double(total))))"
            let tip = "compound \(NumberFormat.compound(lower)) to \(NumberFormat.compound(upper)): "
                + "\(NumberFormat.count(n)) posts\(share)"
            parts.append(SVG.tooltip(tip, [
                SVG.rect(x: left + Double(i) * slot, y: top, width: slot, height: bottom - top, fill: "transparent"),
                SVG.rect(x: left + Double(i) * slot + 1, y: bottom - h, width: slot - 2, height: h, fill: fill),
            ], extra: [("class", "bin")]))
        }
        parts.append(SVG.line(x1: left, y1: bottom, x2: right, y2: bottom, stroke: Palette.axis))
        for value in [-1.0, -0.5, 0, 0.5, 1] {
            let x = left + (value + 1) / 2 * (right - left)
            parts.append(SVG.line(x1: x, y1: bottom, x2: x, y2: bottom + 4, stroke: Palette.axis))
            parts.append(SVG.text(NumberFormat.compound(value), x: x, y: bottom + 16))
        }
        parts.append(SVG.text("compound score", x: (left + right) / 2, y: Double(height) - 8))
        parts.append(SVG.text("posts", x: 12, y: (top + bottom) / 2, rotate: true))
        return SVG.root(width: width, height: height, chart: "histogram",
                        title: "Distribution of compound scores: \(NumberFormat.count(total)) posts", parts)
    }
}
