@testable import Dashboard
import Foundation
import PipelineModel
import Storage
import PipelineTesting
import Testing

/// Explaining a change in a real browser (#17): the compare page, a bar clicked through to
/// its posts, the label filter, word search, the next page, and a CSV whose rows are what
/// the JSON API lists for the same range. Same harness as `BrowserTests`.
@Suite(.serialized) struct BrowserExplainTests {
    @Test(.timeLimit(.minutes(3)))
    func compareDrillDownFiltersPagesAndCSV() async throws {
        guard HeadlessChromium.isInstalled else {
            Issue.record("headless Chromium missing: run scripts/bootstrap (installs chromium and chromium-driver)")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-explain-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let port = freeLoopbackPort()
        let dashboard = try ChildProcess(TestEnvironment.executable("dashboard"), [
            "--in-memory", "--enable-test-endpoints", "--host", "127.0.0.1", "--port", "\(port)",
            "--log-level", "warning",
        ])
        defer { dashboard.terminate(signal: SIGKILL) }
        try await LoopbackHTTP.waitFor200(port: port, path: "/healthz", within: .seconds(30))
        var feed = DemoFeed(keywords: ["swift", "rust", "python"], seed: 11)
        let now = Date()
        let posts = feed.posts(from: now.addingTimeInterval(-7200), to: now, perMinute: 6)
        try await BrowserTests.post(posts, to: port)
        // Surely inside the last hour's window whenever the page loads within 9 minutes (the
        // feed's rate follows the time of day: a fixed floor failed at night, UTC).
        let recentSwift = posts.filter { $0.post.keywords == ["swift"] && $0.post.timestamp >= now.addingTimeInterval(-3000) }.count
        try #require(recentSwift > 0)

        let chromium = try await HeadlessChromium.start(folder: folder)
        do {
            try await scenario(chromium.driver, site: "http://127.0.0.1:\(port)", screenshots: folder, recentSwift: recentSwift)
        } catch {
            await chromium.stop()
            throw error
        }
        await chromium.stop()
    }

    /// Posts shown on a posts page, copies collapsed into "×N" counted N times.
    static let shownPosts = """
        return Array.from(document.querySelectorAll('li.post')).reduce(function(n, li) {
          var c = li.querySelector('[data-count]'); return n + (c ? Number(c.dataset.count) : 1); }, 0)
        """

    /// Rows of a CSV fetched synchronously (header and the empty string after the last CRLF not counted).
    static func csvRows(_ url: String) -> String {
        "var x = new XMLHttpRequest(); x.open('GET', \(url), false); x.send(); return x.responseText.split('\\r\\n').length - 2"
    }

    /// Every post the JSON API lists for `query`, following `next`.
    static func apiCount(_ query: String) -> String {
        """
        var n = 0, cursor = null, pages = 0;
        do { var x = new XMLHttpRequest();
             x.open('GET', '/api/keywords/swift/posts?' + \(query) + '&limit=200' + (cursor ? '&cursor=' + cursor : ''), false);
             x.send(); var page = JSON.parse(x.responseText); n += page.posts.length; cursor = page.next; pages++;
        } while (cursor && pages < 100);
        return n
        """
    }

    private func scenario(_ browser: WebDriver, site: String, screenshots: URL, recentSwift: Int) async throws {
        try await browser.setWindowSize(width: 1280, height: 1600)
        // Compare: three keywords on one axis, a row each with its share of voice.
        try await browser.open(site + "/compare?keywords=swift,rust,python&range=1h")
        #expect(try await browser.waitUntil("return document.querySelectorAll('tr[data-keyword]').length === 3"))
        try await browser.screenshot(to: screenshots.appendingPathComponent("compare.png"))
        for keyword in ["swift", "rust", "python"] {
            #expect(WebDriver.integer(try await browser.run(
                "return document.querySelectorAll('svg[data-chart=compare] g.bucket[data-keyword=\(keyword)]').length")) ?? 0 > 10)
        }
        let shares = try await browser.run(
            "return Array.from(document.querySelectorAll('[data-field=share]')).map(function(e){return parseFloat(e.textContent)}).reduce(function(a,b){return a+b},0)")
        #expect(abs(((shares as? Double) ?? Double(WebDriver.integer(shares) ?? 0)) - 100) < 0.5)

        // Click the busiest swift bar: the posts page lists exactly the posts it counted.
        let expected = try #require(WebDriver.integer(try await browser.run("""
            var best = null, most = -1;
            document.querySelectorAll('svg[data-chart=compare] g.bucket[data-keyword=swift]').forEach(function(g) {
              var n = Number(g.querySelector('title').textContent.match(/: (\\d+) posts/)[1]);
              if (n > most) { most = n; best = g.parentNode; } });
            window.__clicked = best.getAttribute('href');
            best.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window}));
            return most
            """)))
        #expect(expected > 0)
        #expect(try await browser.waitUntil("return location.pathname === '/keywords/swift/posts'"))
        #expect(try await browser.waitUntil("return document.readyState === 'complete' && document.querySelector('form.filters') !== null"))
        #expect(WebDriver.integer(try await browser.run(Self.shownPosts)) == expected)
        #expect(try await browser.run("return location.search.includes('from=')") as? Bool == true)
        // Its CSV has those posts, and the JSON API agrees.
        #expect(WebDriver.integer(try await browser.run(Self.csvRows("document.querySelector('a.download').href"))) == expected)
        #expect(WebDriver.integer(try await browser.run(Self.apiCount("location.search.slice(1)"))) == expected)

        // Label filter through the form: only negative posts.
        try await browser.open(site + "/keywords/swift/posts?range=1h")
        _ = try await browser.run("document.querySelector('select[name=label]').value = 'negative'; document.querySelector('form.filters').submit(); return true")
        #expect(try await browser.waitUntil("return location.search.includes('label=negative') && document.readyState === 'complete'"))
        #expect(WebDriver.integer(try await browser.run("return document.querySelectorAll('li.post .badge').length")) ?? 0 > 0)
        #expect(WebDriver.integer(try await browser.run(
            "return Array.from(document.querySelectorAll('li.post .badge')).filter(function(b){return b.textContent !== 'negative'}).length")) == 0)

        // Word search: every post shown holds the word, whatever its case.
        try await browser.open(site + "/keywords/swift/posts?range=1h")
        let word = try #require(try await browser.run(
            "return document.querySelector('li.post p').textContent.toLowerCase().match(/[a-z]{5,}/)[0]") as? String)
        _ = try await browser.run("document.querySelector('input[name=q]').value = '\(word.uppercased())'; document.querySelector('form.filters').submit(); return true")
        #expect(try await browser.waitUntil("return location.search.includes('q=') && document.readyState === 'complete'"))
        #expect(WebDriver.integer(try await browser.run("return document.querySelectorAll('li.post').length")) ?? 0 > 0)
        #expect(WebDriver.integer(try await browser.run(
            "return Array.from(document.querySelectorAll('li.post p')).filter(function(p){return !new RegExp('(^|[^a-z0-9_])\(word)([^a-z0-9_]|$)').test(p.textContent.toLowerCase())}).length")) == 0)

        // Next page: new posts, none from the first page.
        try await browser.open(site + "/keywords/swift/posts?range=1h&limit=5")
        let first = try await browser.run("return Array.from(document.querySelectorAll('li.post')).map(function(li){return li.dataset.postId}).join(' ')") as? String ?? ""
        _ = try await browser.run("document.querySelector('a[rel=next]').click(); return true")
        #expect(try await browser.waitUntil("return location.search.includes('cursor=') && document.readyState === 'complete'"))
        let second = try await browser.run("return Array.from(document.querySelectorAll('li.post')).map(function(li){return li.dataset.postId}).join(' ')") as? String ?? ""
        #expect(!second.isEmpty)
        #expect(Set(first.split(separator: " ")).isDisjoint(with: second.split(separator: " ")))

        // The hour's CSV: as many rows as the API lists and as the summary counts.
        try await browser.open(site + "/keywords/swift/posts?range=1h")
        let rows = WebDriver.integer(try await browser.run(Self.csvRows("document.querySelector('a.download').href")))
        #expect(rows == WebDriver.integer(try await browser.run(Self.apiCount("'range=1h'"))))
        let summary = WebDriver.integer(try await browser.run(
            "var x = new XMLHttpRequest(); x.open('GET', '/api/keywords/swift/summary?range=1h', false); x.send(); return JSON.parse(x.responseText).totals.count"))
        #expect(rows == summary)
        #expect((rows ?? 0) >= recentSwift, "at least the swift posts of the last 50 minutes")
    }
}
