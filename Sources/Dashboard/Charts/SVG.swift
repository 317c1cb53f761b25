import PipelineModel

/// Small constructors for the SVG elements the charts draw; every text goes through `HTML`.
///
/// Colours are presentation attributes rather than `style` so the strict CSP
/// (no inline styles) leaves them alone.
enum SVG {
    static func c(_ value: Double) -> String { NumberFormat.coordinate(value) }

    static func root(width: Int, height: Int, chart: String, title: String, _ children: [HTML]) -> HTML {
        let attributes: [HTML.Attribute] = [
            ("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 \(width) \(height)"),
            ("width", String(width)), ("height", String(height)), ("role", "img"),
            ("class", "chart chart-" + chart), ("data-chart", chart),
            ("font-family", "DejaVu Sans, Verdana, sans-serif"), ("font-size", "11"),
        ]
        return .element("svg", attributes, [.element("title", [], [.text(title)])] + children)
    }

    static func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                     extra: [HTML.Attribute] = []) -> HTML {
        let attributes: [HTML.Attribute] = [("x", c(x)), ("y", c(y)), ("width", c(max(0, width))),
                                            ("height", c(max(0, height))), ("fill", fill)]
        return .element("rect", attributes + extra)
    }

    static func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String,
                     dash: String? = nil, width: Double = 1) -> HTML {
        let attributes: [HTML.Attribute] = [("x1", c(x1)), ("y1", c(y1)), ("x2", c(x2)), ("y2", c(y2)),
                                            ("stroke", stroke), ("stroke-width", c(width)),
                                            ("stroke-dasharray", dash)]
        return .element("line", attributes)
    }

    static func text(_ content: String, x: Double, y: Double, anchor: String = "middle",
                     fill: String = Palette.axisText, rotate: Bool = false, size: Int? = nil,
                     bold: Bool = false) -> HTML {
        let attributes: [HTML.Attribute] = [
            ("x", c(x)), ("y", c(y)), ("text-anchor", anchor), ("fill", fill),
            ("font-size", size.map { String($0) }), ("font-weight", bold ? "bold" : nil),
            ("transform", rotate ? "rotate(-90 \(c(x)) \(c(y)))" : nil),
        ]
        return .element("text", attributes, [.text(content)])
    }

    /// A group whose `<title>` is the tooltip of everything inside it.
    static func tooltip(_ title: String, _ children: [HTML], extra: [HTML.Attribute] = []) -> HTML {
        .element("g", extra, [.element("title", [], [.text(title)])] + children)
    }
}

/// The dashboard's colours: one per sentiment label plus chart furniture.
enum Palette {
    static let positive = "#2f855a"
    static let neutral = "#a0aec0"
    static let negative = "#c53030"
    /// Counted, not scored (language): pale, so it reads as "no verdict" beside the labels.
    static let unscored = "#e2d9c8"
    static let compound = "#2b6cb0"
    static let grid = "#e2e8f0"
    static let axis = "#718096"
    static let axisText = "#4a5568"

    static func color(of label: SentimentLabel) -> String {
        switch label {
        case .positive: positive
        case .neutral: neutral
        case .negative: negative
        case .unscored: unscored
        }
    }
}
