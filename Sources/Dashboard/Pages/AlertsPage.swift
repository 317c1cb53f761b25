import Foundation
import PipelineModel

/// `/alerts`: the alert episodes of a range, newest first, each linked to its keyword's
/// page and to the posts of its minutes.
enum AlertsPage {
    static func render(_ alerts: [Alert], enabled: Bool, interval: DateInterval, keyword: String?, nonce: String) -> String {
        let header = HTML.element("tr", [], [
            .element("th", [], [.text("keyword")]),
            .element("th", [], [.text("kind")]),
            .element("th", [], [.text("state")]),
            .element("th", [], [.text("from")]),
            .element("th", [], [.text("to")]),
            .element("th", [("class", "num")], [.text("observed")]),
            .element("th", [("class", "num")], [.text("expected")]),
            .element("th", [], [.text("summary")]),
        ])
        let rows = alerts.map { alert -> HTML in
            let keywordPath = "/keywords/" + PageLayout.percentEncode(alert.keyword)
            return .element("tr", [("data-alert", alert.id), ("data-state", alert.state.rawValue)], [
                .element("td", [], [.element("a", [("href", keywordPath)], [.element("bdi", [], [.text(alert.keyword)])])]),
                .element("td", [], [.text(alert.kind == .volumeSpike ? "volume spike" : "sentiment shift")]),
                .element("td", [], [.text(alert.state.rawValue)]),
                .element("td", [], [.text(TimeFormat.dayAndClock(alert.start))]),
                .element("td", [], [.text(TimeFormat.dayAndClock(alert.end))]),
                .element("td", [("class", "num")], [.text(Self.figure(alert.observed))]),
                .element("td", [("class", "num")], [.text(Self.figure(alert.expected))]),
                .element("td", [], [.element("a", [("href", PostsPage.link(keyword: alert.keyword, from: alert.start, to: alert.end))],
                                             [.text(alert.summary)])]),
            ])
        }
        let body: HTML
        if !enabled {
            body = .element("p", [("class", "sub")], [
                .text("Alert detection is off in this process: start the pipeline with --alerts-config FILE or --alert-webhook URL."),
            ])
        } else if alerts.isEmpty {
            body = .element("p", [("class", "sub")], [.text("No alert in this range.")])
        } else {
            body = .element("table", [("class", "overview alerts")], [.element("thead", [], [header]), .element("tbody", [], rows)])
        }
        let live = HTML.element("div", [("data-live", "alerts")], [.element("section", [("class", "card")], [body])])
        return PageLayout.document(
            title: "Alerts · Sentiment dashboard", nonce: nonce,
            heading: [
                .element("p", [("class", "sub")], [.element("a", [("href", "/")], [.text("← all keywords")])]),
                .element("h1", [], [.text("Alerts" + (keyword.map { ": " + $0 } ?? ""))]),
                .element("p", [("class", "sub")], [.text(TimeFormat.span(from: interval.start, to: interval.end))]),
            ],
            live: live, liveKeyword: nil)
    }

    private static func figure(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(format: "%.3f", value)
    }
}
