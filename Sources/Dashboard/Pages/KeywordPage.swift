import Foundation
import PipelineModel

/// `/keywords/{keyword}`: range selector, figures, volume and histogram charts, extremes
/// and the newest posts.
enum KeywordPage {
    static func render(_ report: KeywordReport, request: RangeRequest, minimumPosts: Int, nonce: String) -> String {
        let keyword = report.summary.keyword
        let window = report.window
        let t = report.totals
        let base = "/keywords/" + PageLayout.percentEncode(keyword)
        var explicitEnd: Date?
        if case .preset(_, let end) = request { explicitEnd = end }
        // The posts behind a figure: the window's whole buckets, as the figures count them.
        let drill = PostsPage.link(keyword: keyword, from: window.start, to: window.end)
        func posts(_ label: SentimentLabel, _ text: String) -> HTML {
            .element("a", [("class", label.rawValue), ("href", drill + "&label=" + label.rawValue)], [.text(text)])
        }
        var ranges = TimeRange.allCases.map { range -> HTML in
            var href = base + "?range=" + range.rawValue
            if let explicitEnd { href += "&end=" + TimeFormat.iso8601(explicitEnd) }
            return .element("a", [("href", href), ("aria-current", range == window.range ? "page" : nil)],
                            [.text(range.rawValue)])
        }
        ranges.append(RangePicker.render(action: base, window: window, custom: window.range == nil))
        var live: [HTML] = []
        if window.anchoredToLatest {
            live.append(.element("p", [("class", "notice")], [
                .text("No posts in the last \(window.phrase): showing the \(window.phrase) up to the latest post (\(TimeFormat.dayAndClock(window.anchor)) UTC)."),
            ]))
        }
        live.append(.element("div", [("class", "stats")], [
            stat("posts", NumberFormat.count(t.count), field: "count"),
            stat("mean compound", NumberFormat.compound(t.meanCompound), field: "mean"),
            stat("positive", NumberFormat.percent(t.positiveShare), field: "positive", tone: "pos"),
            stat("neutral", NumberFormat.percent(t.neutralShare), field: "neutral", tone: "neu"),
            stat("negative", NumberFormat.percent(t.negativeShare), field: "negative", tone: "neg"),
            stat("unscored", NumberFormat.percent(t.unscoredShare), field: "unscored", tone: "uns"),
            stat("std. dev.", t.compoundStandardDeviation.map { String(format: "%.2f", $0) } ?? "—", field: "stddev"),
        ]))
        var chart = VolumeChart(buckets: report.buckets, resolution: window.resolution)
        chart.minimumPosts = minimumPosts
        chart.now = report.now
        chart.link = { @Sendable start, end in PostsPage.link(keyword: keyword, from: start, to: end) }
        live.append(.element("section", [("class", "card")], [
            .element("h2", [], [.text("Volume by sentiment and mean compound")]),
            chart.render(),
            legend(),
            .element("p", [("class", "sub")], [
                .text("Select a bar for the posts behind it. The mean is drawn for buckets of at least \(minimumPosts) scored posts; a bucket still filling is drawn pale."),
            ]),
            .element("p", [("class", "downloads")], [
                .element("a", [("href", drill)], [.text("all posts in range")]),
                .element("a", [("href", "/api" + base + "/posts.csv?" + rangeQuery(window)), ("download", "")],
                         [.text("download posts (CSV)")]),
                .element("a", [("href", "/api" + base + "/series.csv?" + request.query), ("download", "")],
                         [.text("download series (CSV)")]),
            ]),
        ]))
        live.append(.element("div", [("class", "two")], [
            .element("section", [("class", "card")], [
                .element("h2", [], [.text("Compound distribution")]),
                HistogramChart(bins: t.histogram).render(),
            ]),
            .element("section", [("class", "card")], [
                .element("h2", [], [.text("Share of posts")]),
                wideShareBar(t),
                .element("p", [("class", "shares")], [
                    .element("span", [("class", "pos")], [posts(.positive, "\(NumberFormat.count(t.positive)) positive")]),
                    .text(" · "),
                    .element("span", [("class", "neu")], [posts(.neutral, "\(NumberFormat.count(t.neutral)) neutral")]),
                    .text(" · "),
                    .element("span", [("class", "neg")], [posts(.negative, "\(NumberFormat.count(t.negative)) negative")]),
                    .text(" · "),
                    .element("span", [("class", "uns")], [posts(.unscored, "\(NumberFormat.count(t.unscored)) unscored")]),
                ]),
                .element("p", [("class", "sub")], [
                    .text("Shares are of scored posts; unscored posts, in a language the engine was not trained for, count in the volume only."),
                ]),
                .element("p", [("class", "sub")], [
                    .text("All time: \(NumberFormat.count(report.summary.totalCount)) posts"),
                ]),
            ]),
        ]))
        live.append(.element("div", [("class", "two")], [
            .element("section", [("class", "card")], [
                .element("h2", [("class", "pos")], [.text("Most positive in range")]),
                PostList.render(report.mostPositive, now: report.now, emptyText: "No posts in range.",
                                cssClass: "most-positive"),
            ]),
            .element("section", [("class", "card")], [
                .element("h2", [("class", "neg")], [.text("Most negative in range")]),
                PostList.render(report.mostNegative, now: report.now, emptyText: "No posts in range.",
                                cssClass: "most-negative"),
            ]),
        ]))
        live.append(.element("section", [("class", "card")], [
            .element("h2", [], [.text("Newest posts")]),
            PostList.render(report.feed, now: report.now, emptyText: "No posts yet.", cssClass: "feed"),
        ]))
        return PageLayout.document(
            title: "\(keyword) · Sentiment dashboard",
            nonce: nonce,
            heading: [
                .element("p", [("class", "sub")], [.element("a", [("href", "/")], [.text("← all keywords")])]),
                .element("h1", [], [.element("bdi", [], [.text(keyword)])]),
                .element("nav", [("class", "ranges"), ("aria-label", "range")], ranges),
                .element("p", [("class", "sub")], [
                    .text("\(TimeFormat.span(from: window.start, to: window.end)), \(window.resolution.rawValue) buckets"),
                ]),
            ],
            live: .element("div", [("data-live", "keyword"), ("data-keyword", keyword),
                                   ("data-total", String(t.count))], live),
            liveKeyword: keyword)
    }

    /// `from=…&to=…` of the window's whole buckets.
    private static func rangeQuery(_ window: TimeWindow) -> String {
        "from=" + TimeFormat.iso8601(window.start) + "&to=" + TimeFormat.iso8601(window.end)
    }

    private static func stat(_ label: String, _ value: String, field: String, tone: String? = nil) -> HTML {
        .element("div", [("class", "stat")], [
            .element("div", [("class", "label")], [.text(label)]),
            .element("div", [("class", tone.map { "value \($0)" } ?? "value"), ("data-field", field)], [.text(value)]),
        ])
    }

    private static func wideShareBar(_ t: SentimentTotals) -> HTML {
        var bar = ShareBar(positive: t.positive, neutral: t.neutral, negative: t.negative)
        bar.width = 420
        bar.height = 24
        return bar.render()
    }

    private static func legend() -> HTML {
        .element("p", [("class", "legend")], [
            .element("span", [("class", "pos")], [.text("positive")]),
            .element("span", [("class", "neu")], [.text("neutral")]),
            .element("span", [("class", "neg")], [.text("negative")]),
            .element("span", [("class", "uns")], [.text("unscored")]),
            .element("span", [("class", "mean")], [.text("mean compound (right axis)")]),
        ])
    }
}
