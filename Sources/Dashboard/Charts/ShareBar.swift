import PipelineModel
import Foundation

/// One horizontal bar split into positive, neutral and negative shares.
public struct ShareBar: Sendable {
    /// Posts per label.
    public var positive: Int, neutral: Int, negative: Int
    /// Size in CSS pixels.
    public var width = 140, height = 14

    /// A bar of these counts.
    public init(positive: Int, neutral: Int, negative: Int) {
        self.positive = positive
        self.neutral = neutral
        self.negative = negative
    }

    /// The SVG element.
    public func render() -> HTML {
        let total = positive + neutral + negative
        var parts: [HTML] = []
        var x = 0.0
        if total == 0 {
            parts.append(SVG.rect(x: 0, y: 0, width: Double(width), height: Double(height), fill: Palette.grid))
        }
        for (label, n) in [(SentimentLabel.positive, positive), (.neutral, neutral), (.negative, negative)]
        where n > 0 {
            let w = Double(n) / Double(total) * Double(width)
            let tip = "\(label.rawValue) \(NumberFormat.percent(Double(n) / Double(total))) (\(NumberFormat.count(n)))"
            parts.append(SVG.tooltip(tip, [SVG.rect(x: x, y: 0, width: w, height: Double(height),
                                                    fill: Palette.color(of: label))],
                                     extra: [("class", "share-\(label.rawValue)")]))
            x += w
        }
        let title = total == 0 ? "no posts"
            : "positive \(NumberFormat.percent(Double(positive) / Double(total))), "
            + "neutral \(NumberFormat.percent(Double(neutral) / Double(total))), "
            + "negative \(NumberFormat.percent(Double(negative) / Double(total)))"
        return SVG.root(width: width, height: height, chart: "share", title: title, parts)
    }
}
