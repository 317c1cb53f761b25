import Foundation

/// `/compare?keywords=a,b,c`: volume of several keywords on one time axis, their share of
/// voice over the range and their mean sentiment; every bar links to its posts.
enum ComparePage {
    static func render(_ comparison: CompareResponse, window: TimeWindow, request: RangeRequest,
                       minimumPosts: Int, now: Date, nonce: String) -> String {
        let names = comparison.keywords.map(\.keyword)
        let keywordsQuery = "keywords=" + names.map(PageLayout.percentEncode).joined(separator: ",")
        var ranges = TimeRange.allCases.map { range -> HTML in
            .element("a", [("href", "/compare?" + keywordsQuery + "&range=" + range.rawValue),
                           ("aria-current", range == window.range ? "page" : nil)], [.text(range.rawValue)])
        }
        ranges.append(RangePicker.render(action: "/compare", window: window, custom: window.range == nil,
                                         hidden: [("keywords", names.joined(separator: ","))]))
        let chart = ComparisonChart(series: comparison.keywords.map { ($0.keyword, $0.volume) },
                                    bucketStarts: comparison.bucketStarts, resolution: window.resolution, now: now,
                                    link: { @Sendable keyword, start, end in PostsPage.link(keyword: keyword, from: start, to: end) })
        let header = HTML.element("tr", [], [
            .element("th", [], [.text("keyword")]),
            .element("th", [("class", "num")], [.text("posts")]),
            .element("th", [("class", "num")], [.text("share of voice")]),
            .element("th", [("class", "num")], [.text("mean compound")]),
            .element("th", [], [.text("positive / neutral / negative")]),
        ])
        let rows = comparison.keywords.enumerated().map { index, row -> HTML in
            let t = row.totals
            // A mean of a handful of posts is noise: shown only from the same minimum as the charts'.
            let mean = t.count - t.unscored >= minimumPosts ? NumberFormat.compound(t.meanCompound) : "—"
            return .element("tr", [("data-keyword", row.keyword)], [
                .element("td", [], [
                    .element("svg", [("width", "10"), ("height", "10"), ("aria-hidden", "true"), ("class", "swatch")], [
                        SVG.rect(x: 0, y: 0, width: 10, height: 10,
                                 fill: ComparisonChart.colors[index % ComparisonChart.colors.count]),
                    ]),
                    .text(" "),
                    .element("a", [("href", "/keywords/" + PageLayout.percentEncode(row.keyword) + "?" + request.query)],
                             [.element("bdi", [], [.text(row.keyword)])]),
                ]),
                .element("td", [("class", "num"), ("data-field", "count")], [.text(NumberFormat.count(t.count))]),
                .element("td", [("class", "num"), ("data-field", "share")],
                         [.text(row.shareOfVoice.map { String(format: "%.1f%%", $0) } ?? "—")]),
                .element("td", [("class", "num"), ("data-field", "mean")], [.text(mean)]),
                .element("td", [], [ShareBar(positive: t.positive, neutral: t.neutral, negative: t.negative).render()]),
            ])
        }
        let live = HTML.element("div", [("data-live", "compare")], [
            .element("section", [("class", "card")], [
                .element("h2", [], [.text("Posts per \(window.resolution.rawValue) bucket")]),
                chart.render(),
                .element("p", [("class", "sub")], [.text("Select a bar for the posts behind it; a bucket still filling is drawn pale.")]),
            ]),
            .element("section", [("class", "card")], [
                .element("table", [("class", "overview compare")], [.element("thead", [], [header]), .element("tbody", [], rows)]),
            ]),
        ])
        return PageLayout.document(
            title: "Compare " + names.joined(separator: ", ") + " · Sentiment dashboard", nonce: nonce,
            heading: [
                .element("p", [("class", "sub")], [.element("a", [("href", "/")], [.text("← all keywords")])]),
                .element("h1", [], [.text("Compare: " + names.joined(separator: " · "))]),
                .element("nav", [("class", "ranges"), ("aria-label", "range")], ranges),
                .element("p", [("class", "sub")], [
                    .text("\(TimeFormat.span(from: window.start, to: window.end)), \(window.resolution.rawValue) buckets"),
                ]),
            ],
            live: live, liveKeyword: nil)
    }
}
