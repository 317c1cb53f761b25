import Foundation
import PipelineModel
import Storage

/// `/keywords/{keyword}/posts`: the drill-down, a page of a keyword's posts with the
/// filters of `GET /api/keywords/{keyword}/posts` (range, label, words), a link to the
/// next page and the CSV of everything the filters select.
enum PostsPage {
    /// What the filter form shows and the next-page link carries.
    struct Filters {
        var rangeRequest: RangeRequest?
        var label: SentimentLabel?
        var q: String
        var limit: Int

        /// The query string of these filters (without a cursor).
        var query: String {
            var parts: [String] = []
            if let rangeRequest { parts.append(rangeRequest.query) }
            if let label { parts.append("label=" + label.rawValue) }
            if !q.isEmpty { parts.append("q=" + PageLayout.percentEncode(q)) }
            parts.append("limit=\(limit)")
            return parts.joined(separator: "&")
        }
    }

    /// The page of `keyword`'s posts from `from` to `to` (what a bar or figure links to).
    static func link(keyword: String, from: Date, to: Date) -> String {
        "/keywords/" + PageLayout.percentEncode(keyword) + "/posts?from=" + TimeFormat.iso8601(from)
            + "&to=" + TimeFormat.iso8601(to)
    }

    static func render(keyword: String, query: PostQuery, page: PostPage, filters: Filters, now: Date,
                       nonce: String) -> String {
        let base = "/keywords/" + PageLayout.percentEncode(keyword)
        var hidden: [HTML] = []
        if case .between(let interval)? = filters.rangeRequest {
            hidden += [.element("input", [("type", "hidden"), ("name", "from"), ("value", TimeFormat.iso8601(interval.start))]),
                       .element("input", [("type", "hidden"), ("name", "to"), ("value", TimeFormat.iso8601(interval.end))])]
        } else if case .preset(let range, let end)? = filters.rangeRequest {
            hidden.append(.element("input", [("type", "hidden"), ("name", "range"), ("value", range.rawValue)]))
            if let end { hidden.append(.element("input", [("type", "hidden"), ("name", "end"), ("value", TimeFormat.iso8601(end))])) }
        }
        let labels = [("", "any label")] + [SentimentLabel.positive, .neutral, .negative, .unscored].map { ($0.rawValue, $0.rawValue) }
        let form = HTML.element("form", [("class", "filters"), ("method", "get"), ("action", base + "/posts")], hidden + [
            .element("label", [], [.text("label "), .element("select", [("name", "label")], labels.map { value, text in
                .element("option", [("value", value), ("selected", value == (filters.label?.rawValue ?? "") ? "" : nil)],
                         [.text(text)])
            })]),
            .element("label", [], [.text("words "), .element("input", [("type", "search"), ("name", "q"),
                                                                       ("value", filters.q), ("placeholder", "all of these words")])]),
            .element("button", [("type", "submit")], [.text("filter")]),
        ])
        let span = query.range.start == .distantPast ? "all time"
            : TimeFormat.span(from: query.range.start, to: query.range.end)
        var body: [HTML] = [form, .element("p", [("class", "sub")], [
            .text("\(span)" + (filters.label.map { " · \($0.rawValue)" } ?? "")
                  + (filters.q.isEmpty ? "" : " · containing “\(filters.q)”") + ". Newest first; identical texts shown once ×N."),
        ])]
        body.append(.element("section", [("class", "card")], [
            PostList.render(page.posts.map(PostView.init), now: now, emptyText: "No posts match.", cssClass: "drill"),
        ]))
        var links: [HTML] = []
        if let next = page.next {
            links.append(.element("a", [("rel", "next"), ("class", "next-page"),
                                        ("href", base + "/posts?" + filters.query + "&cursor=" + next.encoded)],
                                  [.text("next page →")]))
        }
        var csv = filters
        csv.limit = 0
        let csvQuery = csv.query.replacingOccurrences(of: "&limit=0", with: "").replacingOccurrences(of: "limit=0", with: "")
        links.append(.element("a", [("class", "download"), ("download", ""),
                                    ("href", "/api" + base + "/posts.csv" + (csvQuery.isEmpty ? "" : "?" + csvQuery))],
                              [.text("download all matching posts (CSV)")]))
        body.append(.element("p", [("class", "downloads")], links))
        return PageLayout.document(
            title: "\(keyword) posts · Sentiment dashboard", nonce: nonce,
            heading: [
                .element("p", [("class", "sub")], [.element("a", [("href", base)], [.text("← "), .element("bdi", [], [.text(keyword)])])]),
                .element("h1", [], [.text("Posts: "), .element("bdi", [], [.text(keyword)])]),
            ],
            // Not live: a drill-down holds still while it is read (and its form keeps what is typed).
            live: .element("div", [("class", "drill-down")], body),
            liveKeyword: nil)
    }
}
