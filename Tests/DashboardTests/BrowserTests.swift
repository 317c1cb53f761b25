@testable import Dashboard
import Foundation
import PipelineModel
import Storage
import PipelineTesting
import Sentiment
import Testing

/// The real thing: the `dashboard` executable on a loopback port, its in-memory store
/// filled by replaying a seeded fixture through the test endpoint, and headless Chromium
/// (Debian `chromium` + `chromium-driver`, installed by scripts/bootstrap) driven over
/// WebDriver. Every wait is bounded and the browser's process group is killed at the
/// end, so a broken browser fails the test rather than hanging CI.
///
/// Screenshots go to a fresh temporary folder (or `$DASHBOARD_SCREENSHOTS`), printed.
@Suite(.serialized) struct BrowserTests {
    @Test(.timeLimit(.minutes(3)))
    func pagesRenderChartsAndUpdateLiveWithoutReload() async throws {
        guard HeadlessChromium.isInstalled else {
            Issue.record("headless Chromium missing: run scripts/bootstrap (installs chromium and chromium-driver)")
            return
        }
        let folder = try Self.workFolder()
        let port = freeLoopbackPort()
        let dashboard = try ChildProcess(TestEnvironment.executable("dashboard"), [
            "--in-memory", "--enable-test-endpoints", "--host", "127.0.0.1", "--port", "\(port)",
            // One post a minute: every bucket's mean is drawn only with the minimum at one.
            "--min-sentiment-posts", "1", "--log-level", "warning",
        ])
        defer { dashboard.terminate(signal: SIGKILL) }
        let site = "http://127.0.0.1:\(port)"
        try await LoopbackHTTP.waitFor200(port: port, path: "/healthz", within: .seconds(30))

        // Replay the fixture: two hours of seeded posts ending now, plus hostile ones.
        var feed = DemoFeed(keywords: ["swift", "rust", "python"], seed: 7)
        let now = Date()
        try await Self.post(feed.posts(from: now.addingTimeInterval(-7200), to: now, perMinute: 1), to: port)
        try await Self.post(Self.hostilePosts(at: now), to: port)

        let chromium = try await HeadlessChromium.start(folder: folder)
        do {
            try await scenario(chromium.driver, site: site, port: port, feed: &feed, screenshots: folder)
        } catch {
            await chromium.stop()
            throw error
        }
        await chromium.stop()
        print("BrowserTests: screenshots in \(folder.path)")
    }

    private func scenario(_ browser: WebDriver, site: String, port: Int, feed: inout DemoFeed, screenshots: URL) async throws {
        // Overview: one row per keyword with its sparkline and share bar.
        try await browser.open(site + "/")
        #expect(try await browser.waitUntil("return document.getElementById('live-status').dataset.state === 'live'"))
        try await browser.screenshot(to: screenshots.appendingPathComponent("overview.png"))
        #expect(WebDriver.integer(try await browser.run("return document.querySelectorAll('tr[data-keyword]').length")) == 4)
        #expect(WebDriver.integer(try await browser.run("return document.querySelectorAll('svg[data-chart=sparkline] polyline').length")) == 4)
        #expect(WebDriver.integer(try await browser.run("return document.querySelectorAll('svg[data-chart=share] rect').length")) ?? 0 >= 4)
        #expect(try await browser.run("return document.querySelector('tr[data-keyword=swift] [data-field=count]').textContent") as? String != "0")
        try await expectNothingRan(browser)

        // Keyword page: volume chart with 60 one-minute buckets, histogram, compound line, figures.
        try await browser.setWindowSize(width: 1280, height: 2200)
        try await browser.open(site + "/keywords/swift?range=1h")
        #expect(try await browser.waitUntil("return document.getElementById('live-status').dataset.state === 'live'"))
        try await browser.screenshot(to: screenshots.appendingPathComponent("keyword.png"))
        #expect(WebDriver.integer(try await browser.run("return document.querySelectorAll('svg[data-chart=volume] g.bucket').length")) == 60)
        #expect(WebDriver.integer(try await browser.run("return document.querySelectorAll('svg[data-chart=histogram] g.bin').length")) == 10)
        #expect(WebDriver.truth(try await browser.run("return document.querySelector('svg[data-chart=volume] path.compound-line') !== null")) == true)
        // The charts are laid out, not just present: the volume chart has a real box.
        #expect(WebDriver.truth(try await browser.run("return document.querySelector('svg[data-chart=volume]').getBoundingClientRect().width > 400")) == true)
        #expect(WebDriver.truth(try await browser.run("return /^[+\\u2212]?\\d\\.\\d\\d$/.test(document.querySelector('[data-field=mean]').textContent)")) == true)
        let before = try #require(Int(try await browser.run(
            "return document.querySelector('[data-live]').dataset.total") as? String ?? ""))
        #expect(before > 0)
        try await expectNothingRan(browser)

        // New posts arrive: the page must update in place (no navigation, no reload).
        _ = try await browser.run("window.__sameDocument = true; return true")
        var fresh: [ScoredPost] = []
        for _ in 0..<5 { fresh.append(feed.post(keyword: "swift", index: 0, at: Date())) }
        try await Self.post(fresh, to: port)
        #expect(try await browser.waitUntil(
            "return document.querySelector('[data-live]').dataset.total === '\(before + 5)'"))
        #expect(WebDriver.truth(try await browser.run("return window.__sameDocument === true")) == true)
        #expect(WebDriver.truth(try await browser.run("return Number(document.querySelector('[data-live]').dataset.refreshes) >= 1")) == true)
        let newest = try await browser.run("return document.querySelector('.feed li').getAttribute('data-post-id')") as? String
        #expect(fresh.map(\.id).contains(newest ?? ""))
        try await browser.screenshot(to: screenshots.appendingPathComponent("keyword-updated.png"))

        // A keyword made of markup, and posts made of script: shown as text, nothing runs,
        // before and after a live refresh.
        let hostile = PageLayout.percentEncode(Self.hostileKeyword)
        try await browser.open(site + "/keywords/\(hostile)?range=1h")
        #expect(try await browser.waitUntil("return document.getElementById('live-status').dataset.state === 'live'"))
        #expect(try await browser.run("return document.querySelector('h1').textContent") as? String == Self.hostileKeyword)
        #expect(WebDriver.truth(try await browser.run("return document.body.textContent.includes(\"<script>window.__xss = 'post'</script>\")")) == true)
        try await Self.post([Self.hostile("9000000000000000099", "<img src=x onerror=\"window.__xss='live'\">",
                                          at: Date())], to: port)
        #expect(try await browser.waitUntil("return document.querySelector('.feed li').getAttribute('data-post-id') === '9000000000000000099'"))
        #expect(try await browser.run("return document.querySelector('.feed li p').textContent") as? String
            == "<img src=x onerror=\"window.__xss='live'\">")
        try await expectNothingRan(browser)
    }

    /// No injected script or handler ran, and the page has no element the data could have made.
    private func expectNothingRan(_ browser: WebDriver) async throws {
        #expect(try await browser.run("return typeof window.__xss") as? String == "undefined")
        #expect(WebDriver.integer(try await browser.run("return document.querySelectorAll('main script, main img, main iframe, [onerror], [onmouseover]').length")) == 0)
    }

    static let hostileKeyword = "<img src=x onerror=\"window.__xss='keyword'\"> \u{202E}kw"

    static func hostilePosts(at now: Date) -> [ScoredPost] {
        [
            hostile("9000000000000000001", "<script>window.__xss = 'post'</script>", at: now.addingTimeInterval(-120)),
            hostile("9000000000000000002", "\"><svg onload=\"window.__xss='svg'\"> ' \u{200F}rtl\u{202E}", at: now.addingTimeInterval(-60)),
        ]
    }

    static func hostile(_ id: String, _ text: String, at date: Date) -> ScoredPost {
        let post = Post(id: id, text: text, keywords: [hostileKeyword], authorUsername: "<b>mallory</b>",
                        createdAt: date, receivedAt: date)
        return ScoredPost(post: post, sentiment: SentimentResult(label: .negative, compound: -0.5, positive: 0,
                                                                 neutral: 0.5, negative: 0.5),
                          engine: "test", engineVersion: "1", scoredAt: date)
    }

    private static func workFolder() throws -> URL {
        let folder: URL
        if let chosen = ProcessInfo.processInfo.environment["DASHBOARD_SCREENSHOTS"], !chosen.isEmpty {
            folder = URL(fileURLWithPath: chosen)
        } else {
            folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("dashboard-browser-\(UUID().uuidString.prefix(8))")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func post(_ posts: [ScoredPost], to port: Int) async throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let reply = try await LoopbackHTTP.request(.post, port: port, path: "/test/posts", body: try encoder.encode(posts))
        #expect(reply.status == 200, "\(reply.text)")
    }
}
