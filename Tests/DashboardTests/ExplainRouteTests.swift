@testable import Dashboard
import Foundation
import Hummingbird
import HummingbirdTesting
import PipelineModel
import Storage
import Testing

/// The drill-down, compare, CSV and range parameters (#17), in-process over the fixtures.
@Suite struct ExplainRouteTests {
    struct Page: Decodable {
        struct Post: Decodable { var id: String; var label: String }
        var posts: [Post]
        var next: String?
    }

    /// 30 posts a minute apart for "drill", alternating positive and negative, every third
    /// mentioning "Rocket"; two copies of one text.
    static func store() async throws -> InMemorySentimentStore {
        let store = try await Fixtures.store()
        _ = try await store.record((0..<30).map { i in
            Fixtures.post("d\(100 + i)", i % 3 == 0 ? "Rocket launch \(i)" : "plain \(i)", keywords: ["drill"],
                          compound: i.isMultiple(of: 2) ? 0.5 : -0.5, secondsAgo: Double(i * 60 + 10))
        })
        _ = try await store.record([
            Fixtures.post("c1", "Same words here", keywords: ["drill"], compound: 0, secondsAgo: 5),
            Fixtures.post("c2", "RT @bob: same  words here", keywords: ["drill"], compound: 0, secondsAgo: 6),
        ])
        return store
    }

    @Test func postsAPIPagesWithFiltersAndNullNext() async throws {
        let app = try Fixtures.app(store: try await Self.store())
        try await app.test(.router) { client in
            var ids: [String] = []
            var uri = "/api/keywords/drill/posts?range=1h&label=negative&limit=4"
            var pages = 0
            while pages < 10 {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok)
                let page = try JSONDecoder().decode(Page.self, from: Data(buffer: response.body))
                ids += page.posts.map(\.id)
                #expect(page.posts.allSatisfy { $0.label == "negative" })
                pages += 1
                guard let next = page.next else {
                    #expect(response.text.contains("\"next\":null"))
                    break
                }
                uri = "/api/keywords/drill/posts?range=1h&label=negative&limit=4&cursor=" + next
            }
            #expect(ids == stride(from: 1, to: 30, by: 2).map { "d\(100 + $0)" })
            #expect(pages == 4)
            let search = try await client.execute(uri: "/api/keywords/drill/posts?q=ROCKET&limit=50", method: .get)
            let found = try JSONDecoder().decode(Page.self, from: Data(buffer: search.body))
            #expect(found.posts.map(\.id) == stride(from: 0, to: 30, by: 3).map { "d\(100 + $0)" })
        }
    }

    @Test(arguments: [
        ("from=nope&to=2026-11-29T12:00:00Z", "from must be an ISO 8601 instant"),
        ("from=2026-11-29T12:00:00Z&to=2026-11-29T11:00:00Z", "from must be before to"),
        ("from=2026-11-29T11:00:00Z", "give both from and to"),
        ("range=1h&from=2026-11-29T11:00:00Z&to=2026-11-29T12:00:00Z", "give either range or from and to"),
        ("label=happy", "label must be one of"),
        ("cursor=%21%21", "cursor is not one this server gave"),
        ("from=2026-01-01T00:00:00Z&to=2026-11-29T12:00:00Z", "at most 92 days"),
    ])
    func badParametersAreOneLine400s(_ query: String, _ reason: String) async throws {
        let app = try Fixtures.app(store: try await Self.store())
        try await app.test(.router) { client in
            for path in ["/api/keywords/drill/posts", "/keywords/drill/posts", "/api/keywords/drill/posts.csv"] {
                let response = try await client.execute(uri: path + "?" + query, method: .get)
                #expect(response.status == .badRequest, "\(path)?\(query)")
                #expect(response.text.contains(reason), "\(path): \(response.text)")
            }
        }
    }

    @Test func fromToSelectsExactlyTheRangeAndSeriesCoversIt() async throws {
        let app = try Fixtures.app(store: try await Self.store())
        try await app.test(.router) { client in
            // d100 is 10 s ago (12:00:20), d101 70 s ago (11:59:20), d102 11:58:20.
            let posts = try await client.execute(
                uri: "/api/keywords/drill/posts?from=2026-11-29T11:58:20Z&to=2026-11-29T12:00:20Z", method: .get)
            #expect(try JSONDecoder().decode(Page.self, from: Data(buffer: posts.body)).posts.map(\.id) == ["d101", "d102"])
            let series = try await client.execute(
                uri: "/api/keywords/drill/series?from=2026-11-29T11:30:00Z&to=2026-11-29T12:00:00Z", method: .get)
            #expect(series.status == .ok)
            #expect(series.text.contains("\"range\":\"custom\""))
            #expect(series.text.contains("\"resolution\":\"1m\""))
        }
    }

    @Test func keywordURLsAreCaseInsensitive() async throws {
        let app = try Fixtures.app(store: try await Self.store())
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/keywords/DRILL?range=15m", method: .get)
            #expect(page.status == .movedPermanently)
            #expect(page.headers[.location] == "/keywords/drill?range=15m")
            let api = try await client.execute(uri: "/api/keywords/Drill/posts?limit=1", method: .get)
            #expect(api.status == .movedPermanently)
            #expect(api.headers[.location] == "/api/keywords/drill/posts?limit=1")
            #expect(try await client.execute(uri: "/keywords/nothing", method: .get).status == .notFound)
        }
    }

    @Test func compareGivesSharesOfVoiceOnOneAxis() async throws {
        let app = try Fixtures.app(store: try await Self.store())
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/compare?keywords=drill,swift,RUST&range=15m", method: .get)
            #expect(response.status == .ok)
            let comparison = try JSONDecoder.iso.decode(CompareResponse.self, from: Data(buffer: response.body))
            #expect(comparison.keywords.map(\.keyword) == ["drill", "swift", "rust"])
            #expect(comparison.keywords.allSatisfy { $0.volume.count == comparison.bucketStarts.count })
            // 15 minutes: drill has 14 posts + 2 copies (posts ≤ 14 min ago), swift 4, rust 0.
            let counts = comparison.keywords.map(\.totals.count)
            let total = Double(counts.reduce(0, +))
            for (row, count) in zip(comparison.keywords, counts) {
                #expect(abs((row.shareOfVoice ?? -1) - Double(count) / total * 100) < 1e-9)
            }
            #expect(counts[2] == 0 && counts[1] == 4)
            let page = try await client.execute(uri: "/compare?keywords=drill&keywords=swift&keywords=rust&range=1h", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("data-chart=\"compare\""))
            #expect(page.text.contains("href=\"/keywords/drill/posts?from="))
            #expect(try await client.execute(uri: "/api/compare?keywords=drill,none", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/api/compare?range=1h", method: .get).status == .badRequest)
        }
    }

    @Test func csvStreamsEveryPostOfTheRangeSafely() async throws {
        let store = try await Self.store()
        _ = try await store.record([Fixtures.post("f1", "=cmd|' /C calc'!A0, \"quoted\"", keywords: ["drill"],
                                                  compound: -0.5, secondsAgo: 1)])
        let app = try Fixtures.app(store: store)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/keywords/drill/posts.csv?range=1h", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
            let lines: [String] = Array(response.text.components(separatedBy: "\r\n").dropLast())
            let rows: Int = 1 + 30 + 2 + 1
            #expect(lines.first == "id,created_at,keyword,author,lang,label,compound,text")
            #expect(lines.count == rows)
            #expect(lines.dropFirst().first == "f1,2026-11-29T12:00:29.000Z,drill,alice,,negative,-0.5000,\"'=cmd|' /C calc'!A0, \"\"quoted\"\"\"")
            let series = try await client.execute(uri: "/api/keywords/drill/series.csv?range=15m", method: .get)
            #expect(series.text.hasPrefix("start,count,positive,neutral,negative,unscored,mean_compound\r\n"))
            let seriesLines: Int = series.text.components(separatedBy: "\r\n").count
            #expect(seriesLines == 17)  // header, 15 buckets, the empty string after the last CRLF
        }
    }

    @Test func pagesLinkEveryBucketAndCollapseCopies() async throws {
        let app = try Fixtures.app(store: try await Self.store())
        try await app.test(.router) { client in
            let keyword = try await client.execute(uri: "/keywords/drill?range=15m", method: .get).text
            #expect(keyword.contains("<a href=\"/keywords/drill/posts?from=2026-11-29T11:46:00Z&amp;to=2026-11-29T11:47:00Z\">"))
            #expect(keyword.contains("href=\"/keywords/drill/posts?from=2026-11-29T11:46:00Z&amp;to=2026-11-29T12:01:00Z&amp;label=negative\""))
            #expect(keyword.contains("class=\"bucket unfinished\""))
            #expect(keyword.contains("posts.csv?from="))
            let posts = try await client.execute(uri: "/keywords/drill/posts?range=1h&limit=5", method: .get).text
            #expect(posts.contains("data-count=\"2\">×2<"))
            #expect(posts.contains("rel=\"next\""))
            let overview = try await client.execute(uri: "/", method: .get).text
            #expect(overview.contains("action=\"/compare\""))
            #expect(overview.contains("data-field=\"unscored\""))
        }
    }
}

extension JSONDecoder {
    static let iso: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
