import Foundation

/// `/`: one row per keyword with its last hour.
enum OverviewPage {
    static func render(_ overview: OverviewResponse, now: Date, nonce: String) -> String {
        let window = overview.window
        var live: [HTML] = []
        if window.anchoredToLatest {
            live.append(.element("p", [("class", "notice")], [
                .text("No posts in the last hour: showing the hour up to the latest post (\(TimeFormat.dayAndClock(window.end)) UTC)."),
            ]))
        }
        if overview.keywords.isEmpty {
            live.append(.element("p", [("class", "empty")], [.text("No keywords yet: waiting for the first posts.")]))
        } else {
            live.append(.element("div", [("class", "card")], [table(overview, now: now)]))
        }
        let total = overview.keywords.reduce(0) { $0 + $1.window.count }
        return PageLayout.document(
            title: "Sentiment dashboard",
            nonce: nonce,
            heading: [
                .element("h1", [], [.text("Keywords")]),
                .element("p", [("class", "sub")], [
                    .text("Last hour: \(TimeFormat.span(from: window.start, to: window.end)). Select a keyword for its charts and posts."),
                ]),
            ] + compareForm(overview),
            live: .element("section", [("data-live", "overview"), ("data-total", String(total))], live),
            liveKeyword: nil)
    }

    /// Checkboxes of the keywords and a button to compare the checked ones. Outside the
    /// live part, so a refresh never unchecks them.
    private static func compareForm(_ overview: OverviewResponse) -> [HTML] {
        guard overview.keywords.count > 1 else { return [] }
        let boxes = overview.keywords.map { row -> HTML in
            .element("label", [], [
                .element("input", [("type", "checkbox"), ("name", "keywords"), ("value", row.keyword)]),
                .text(" "), .element("bdi", [], [.text(row.keyword)]),
            ])
        }
        return [.element("form", [("class", "filters compare-form"), ("method", "get"), ("action", "/compare")],
                         boxes + [.element("button", [("type", "submit")], [.text("compare checked")])])]
    }

    private static func table(_ overview: OverviewResponse, now: Date) -> HTML {
        let header = HTML.element("tr", [], [
            .element("th", [], [.text("keyword")]),
            .element("th", [("class", "num")], [.text("posts (1 h)")]),
            .element("th", [("class", "num")], [.text("mean compound")]),
            .element("th", [], [.text("positive / neutral / negative")]),
            .element("th", [("class", "num")], [.text("unscored")]),
            .element("th", [], [.text("posts per minute")]),
            .element("th", [("class", "num")], [.text("all time")]),
            .element("th", [("class", "num")], [.text("latest post")]),
        ])
        let rows = overview.keywords.map { row -> HTML in
            let t = row.window
            let mean = t.meanCompound
            let tone = mean.map { $0 >= 0.05 ? "pos" : $0 <= -0.05 ? "neg" : "neu" } ?? "neu"
            return .element("tr", [("data-keyword", row.keyword)], [
                .element("td", [], [.element("a", [("href", "/keywords/" + PageLayout.percentEncode(row.keyword))],
                                             [.element("bdi", [], [.text(row.keyword)])])]),
                .element("td", [("class", "num"), ("data-field", "count")], [.text(NumberFormat.count(t.count))]),
                .element("td", [("class", "num \(tone)"), ("data-field", "mean")], [.text(NumberFormat.compound(mean))]),
                .element("td", [], [
                    ShareBar(positive: t.positive, neutral: t.neutral, negative: t.negative).render(),
                    .element("div", [("class", "shares")], [
                        .element("span", [("class", "pos")], [.text(NumberFormat.percent(t.positiveShare))]),
                        .text(" / "),
                        .element("span", [("class", "neu")], [.text(NumberFormat.percent(t.neutralShare))]),
                        .text(" / "),
                        .element("span", [("class", "neg")], [.text(NumberFormat.percent(t.negativeShare))]),
                    ]),
                ]),
                .element("td", [("class", "num uns"), ("data-field", "unscored")],
                         [.text(NumberFormat.percent(t.unscoredShare))]),
                .element("td", [], [Sparkline(counts: row.perMinute, caption: "posts per minute, last hour").render()]),
                .element("td", [("class", "num")], [.text(NumberFormat.count(row.totalCount))]),
                .element("td", [("class", "num")], [
                    row.lastSeen.map { .element("time", [("datetime", TimeFormat.iso8601($0))],
                                                [.text(TimeFormat.age(of: $0, now: now))]) } ?? .text("—"),
                ]),
            ])
        }
        return .element("table", [("class", "overview")], [
            .element("thead", [], [header]), .element("tbody", [], rows),
        ])
    }
}
