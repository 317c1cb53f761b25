@testable import Dashboard
import Foundation
import Hummingbird
import HummingbirdTesting
import PipelineModel
import PipelineModel
import Storage
import Testing

/// Hostile posts and keywords (markup, script, both kinds of quotes, bidi controls) in
/// every place they reach: page text and attributes, links, SVG tooltips, JSON, SSE.
/// BrowserTests checks the same in Chromium's DOM (nothing runs).
@Suite struct XSSTests {
    static let keyword = "<svg onload=alert(1)>\"'\u{200F}k"
    static let texts = [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(2)> 'single' \"double\" `tick`",
        "\u{202E}txet desrever\u{202C} \u{2067}isolate\u{2069} \u{200F}mark",
        "</title><script>alert(3)</script>",
    ]

    static func store() async throws -> InMemorySentimentStore {
        let store = InMemorySentimentStore()
        _ = try await store.record(texts.enumerated().map { i, text in
            Fixtures.post("70\(i)", text, keywords: [keyword], compound: i.isMultiple(of: 2) ? 0.6 : -0.6,
                          secondsAgo: Double(30 + i * 60), author: "<b>\(i)</b>")
        })
        return store
    }

    /// What must never appear raw in any HTML the dashboard serves with this data.
    static let forbidden = ["<svg onload", "<img", "<b>", "</title><script", "\u{202E}", "\u{2067}", "\u{200F}"]

    @Test func pagesShowHostileTextAndKeywordsAsText() async throws {
        let app = try Fixtures.app(store: try await Self.store())
        let path = "/keywords/" + PageLayout.percentEncode(Self.keyword)
        try await app.test(.router) { client in
            for uri in ["/", path + "?range=15m", path + "?range=1h", path + "?range=7d"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok, "\(uri)")
                let html = response.text
                for bad in Self.forbidden { #expect(!html.contains(bad), "\(uri) contains \(bad.debugDescription)") }
                #expect(html.matches(of: #/<script/#).count == 1, "\(uri)")
                // Every SVG tooltip and chart title is plain text.
                for title in html.matches(of: #/<title>(.*?)</title>/#) {
                    #expect(!title.output.1.contains("<") && !title.output.1.contains(">"), "\(uri)")
                }
            }
            let page = try await client.execute(uri: path + "?range=1h", method: .get).text
            let escapedKeyword = "&lt;svg onload=alert(1)&gt;&quot;&#39;&#x200F;k"
            #expect(page.contains("<h1><bdi>\(escapedKeyword)</bdi></h1>"))
            #expect(page.contains("<title>\(escapedKeyword) · Sentiment dashboard</title>"))
            #expect(page.contains("data-keyword=\"\(escapedKeyword)\""))
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(page.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt; &#39;single&#39; &quot;double&quot; &#96;tick&#96;"))
            #expect(page.contains("&#x202E;txet desrever&#x202C; &#x2067;isolate&#x2069; &#x200F;mark"))
            #expect(page.contains("@&lt;b&gt;0&lt;/b&gt;"))
            // Links built from the keyword are percent-encoded, never raw.
            #expect(page.contains("href=\"/keywords/%3Csvg%20onload%3Dalert%281%29%3E%22%27%E2%80%8Fk?range=7d\""))
            #expect(page.contains("data-events=\"/events?keyword=%3Csvg%20onload%3Dalert%281%29%3E%22%27%E2%80%8Fk\""))
            let overview = try await client.execute(uri: "/", method: .get).text
            #expect(overview.contains("<tr data-keyword=\"\(escapedKeyword)\">"))
        }
    }

    @Test func svgTooltipsEscapeWhateverTheyAreGiven() {
        for text in Self.texts + [Self.keyword] {
            let svg = SVG.tooltip(text, [SVG.rect(x: 0, y: 0, width: 1, height: 1, fill: "red")]).rendered
            let title = try? #require(svg.firstMatch(of: #/<title>(.*)</title>/#)).output.1
            #expect(title.map { !$0.contains("<") && !$0.contains("\"") && !$0.contains("'") } == true, "\(svg)")
            #expect(svg.hasPrefix("<g><title>") && svg.hasSuffix("</g>"))
            let spark = Sparkline(counts: [1, 2, 3], caption: text).render().rendered
            for bad in Self.forbidden { #expect(!spark.contains(bad)) }
        }
    }

    @Test func jsonCarriesTheExactTextAsData() async throws {
        let app = try Fixtures.app(store: try await Self.store())
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/api/keywords/\(PageLayout.percentEncode(Self.keyword))/posts?limit=10", method: .get)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            let posts = try decoder.decode(PostsResponse.self, from: Data(buffer: response.body))
            #expect(posts.keyword == Self.keyword)
            #expect(Set(posts.posts.map(\.text)) == Set(Self.texts))
        }
    }

    @Test func sseEventsAreOneEscapedLineWhateverTheKeyword() throws {
        let hostile: Set<String> = [Self.keyword, "a\nevent: injected\ndata: x", "</script>&", "line\u{2028}sep\u{85}\r"]
        let frame = LiveEvent.change(kind: "posts", keywords: hostile, posts: 2).serverSentEvent
        #expect(frame.hasPrefix("event: change\ndata: {") && frame.hasSuffix("}\n\n"))
        // Exactly two line breaks inside the frame: the event line and the data line.
        #expect(frame.dropLast(2).filter { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }.count == 1)
        let data = String(frame.dropFirst("event: change\ndata: ".count).dropLast(2))
        #expect(data.unicodeScalars.allSatisfy { $0.isASCII || !JSONString.isBidiControl($0) })
        #expect(data.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x2028 && $0.value != 0x85 })
        #expect(!data.contains("<") && !data.contains(">") && !data.contains("&"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any])
        #expect(Set(json["keywords"] as? [String] ?? []) == hostile)
    }

    @Test func sseStreamForAMarkupKeywordCarriesItEscaped() async throws {
        let store = try await Self.store()
        let app = try Fixtures.app(store: store)
        try await app.test(.router) { client in
            try await RouterTests().waitForMetric(client, "dashboard_store_subscribed 1")
            async let events = client.execute(uri: "/events?keyword=\(PageLayout.percentEncode(Self.keyword))&limit=1",
                                              method: .get)
            try await RouterTests().waitForMetric(client, "dashboard_sse_clients 1")
            _ = try await store.record([Fixtures.post("799", "<script>alert(9)</script>", keywords: [Self.keyword],
                                                      compound: 0, secondsAgo: 1)])
            let text = try await events.text
            #expect(text.hasSuffix(#"data: {"kind":"posts","keywords":["\u003csvg onload=alert(1)\u003e\"'\u200fk"],"posts":1}"# + "\n\n"))
            #expect(!text.contains("<") && !text.contains("alert(9)"))
        }
    }
}
