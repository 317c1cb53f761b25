@testable import Dashboard
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 14: inputs an attacker or a careless operator controls (tokens, redirects, Host,
/// store outages, control characters in text).
@Suite struct HardeningTests {
    // MARK: Row 4: the access token policy

    @Test(arguments: ["replace-me", "        ", "correct-horse", "Replace-Me-0123456789abcdef0123456789abcdef",
                      "9f2c4e7a1b8d3f60 c5a7e9b2d4f61a3c8e0b7d5f2a4c6e81", "9f2c4e7a1b8d3f60\u{7}c5a7e9b2d4f61a3c8e0b7d5f2a4c6e81",
                      "aaaaaaaaaaaaaaaaaaaaaaaaaa"])
    func guessableTokensAreRefusedWithAHint(token: String) throws {
        for host in ["0.0.0.0", "127.0.0.1"] {
            let error = try #require(throws: DashboardConfigurationError.self) {
                try Fixtures.app(store: UnreachableStore(), configuration: Fixtures.configuration(token: token, host: host))
            }
            #expect(error.description.hasPrefix("DASHBOARD_TOKEN "))
            #expect(error.description.hasSuffix("generate one with: openssl rand -hex 24"))
            #expect(!error.description.contains(token), "the token itself is never echoed")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func randomTokensPass() throws {
        // openssl rand -hex 24, and -base64 24.
        for token in [Fixtures.strongToken, "q3W9+z/kL0mP2xR7tY5uV8bN1cD4eF6g"] {
            #expect(AccessTokenPolicy.problem(with: token) == nil, "\(token)")
            _ = try Fixtures.app(store: UnreachableStore(), configuration: Fixtures.configuration(token: token, host: "0.0.0.0"))
        }
        #expect(abs(AccessTokenPolicy.estimatedBits(Fixtures.strongToken) - 48 * log2(36.0)) < 1e-9)
        #expect(AccessTokenPolicy.estimatedBits("abc") < 15)
    }

    // MARK: Row 6: redirects stay on this origin

    @Test(arguments: [("//evil.example/", "/evil.example/"), ("/\\evil.example", "/evil.example"),
                      ("/\\/evil.example/x", "/evil.example/x"), ("/%5C%5Cevil.example", "/%5C%5Cevil.example"),
                      ("/keywords/a\\b", "/keywords/a%5Cb")])
    func tokenRedirectsAreSameOriginPaths(path: String, location: String) async throws {
        let token = Fixtures.strongToken
        let app = try Fixtures.app(store: try await Fixtures.store(),
                                   configuration: Fixtures.configuration(token: token, host: "0.0.0.0"))
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "\(path)?token=\(token)&range=6h", method: .get)
            #expect(response.status == .seeOther)
            let target = try #require(response.headers[.location])
            #expect(target == location + "?range=6h")
            #expect(target.hasPrefix("/") && !target.hasPrefix("//") && !target.contains("\\"))
        }
    }

    // MARK: Row 8: DNS rebinding

    @Test func onlyLoopbackNamesAreLoopbackAuthorities() {
        for host in ["attacker.example", "attacker.example:8080", "127.0.0.1.attacker.example", "localhost.evil",
                     "[::2]:80", "127.0.0.1:80:81", "0.0.0.0", "127.0.0.1:", "127.0.0.256", "[::1]x", ""] {
            #expect(!LoopbackHostMiddleware.isLoopback(authority: host), "\(host)")
        }
        for host in ["localhost", "localhost:8080", "LOCALHOST.", "dash.localhost:1", "127.0.0.1", "127.1.2.3:65535",
                     "[::1]", "[::1]:8080"] {
            #expect(LoopbackHostMiddleware.isLoopback(authority: host), "\(host)")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func rebindingIsRefusedOverARealConnection() async throws {
        let app = try Fixtures.app(store: try await Fixtures.store())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(20))) { raw in
                for path in ["/", "/api/keywords"] {
                    let foreign = try await raw.execute(.init(path, method: .get, authority: "attacker.example:\(port)"))
                    #expect(foreign.head.status == .misdirectedRequest, "\(path)")
                }
                let local = try await raw.execute(.init("/api/keywords", method: .get, authority: "localhost:\(port)"))
                #expect(local.head.status == .ok)
            }
        }
        // Off loopback the token protects the dashboard; any Host is served.
        let remote = try Fixtures.app(store: try await Fixtures.store(),
                                      configuration: Fixtures.configuration(token: Fixtures.strongToken, host: "0.0.0.0"))
        try await remote.test(.live) { client in
            let port = try #require(client.port)
            try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(20))) { raw in
                let response = try await raw.execute(.init("/api/keywords", method: .get, authority: "dashboard.example",
                                                           headers: [.authorization: "Bearer \(Fixtures.strongToken)"]))
                #expect(response.head.status == .ok)
            }
        }
    }

    // MARK: Row 10: error pages for browsers, JSON for the API

    @Test func storeOutagesArePagesForBrowsersAndJSONForTheAPI() async throws {
        let down = try Fixtures.app(store: UnreachableStore())
        try await down.test(.router) { client in
            for uri in ["/", "/keywords/swift"] {
                let page = try await client.execute(uri: uri, method: .get)
                #expect(page.status == .serviceUnavailable, "\(uri)")
                #expect(page.headers[.contentType] == "text/html; charset=utf-8")
                #expect(page.text.contains("<h1>503 Service Unavailable</h1>"))
                #expect(page.text.contains("the data store is unavailable (store unavailable)"))
                #expect(page.text.contains("<style nonce="), "in the dashboard's style")
                #expect(!page.text.contains("secret") && !page.text.contains("mongodb://"))
            }
            for uri in ["/api/keywords", "/api/posts", "/api/keywords/swift/posts"] {
                let api = try await client.execute(uri: uri, method: .get)
                #expect(api.status == .serviceUnavailable, "\(uri)")
                #expect(api.headers[.contentType]?.hasPrefix("application/json") == true, "\(uri)")
                #expect(api.text.contains("the data store is unavailable"))
                #expect(!api.text.contains("secret"))
            }
        }
    }

    @Test func browserErrorsArePagesWithTheReason() async throws {
        let app = try Fixtures.app(store: try await Fixtures.store())
        try await app.test(.router) { client in
            let unknown = try await client.execute(uri: "/keywords/nope", method: .get)
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.contentType] == "text/html; charset=utf-8")
            #expect(unknown.text.contains("<h1>404 Not Found</h1>") && unknown.text.contains("unknown keyword"))
            let badRange = try await client.execute(uri: "/keywords/swift?range=<b>", method: .get)
            #expect(badRange.status == .badRequest)
            #expect(badRange.text.contains("range must be one of 15m, 1h, 6h, 24h, 7d"))
            #expect(!badRange.text.contains("<b>"))
            let api = try await client.execute(uri: "/api/keywords/swift/series?range=2h", method: .get)
            #expect(api.status == .badRequest)
            #expect(api.headers[.contentType]?.hasPrefix("application/json") == true)
        }
    }

    @Test func bothPostEndpointsAnswer404ForAnUnknownKeyword() async throws {
        let app = try Fixtures.app(store: try await Fixtures.store())
        try await app.test(.router) { client in
            for uri in ["/api/posts?keyword=nope", "/api/keywords/nope/posts"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri)")
                #expect(response.text.contains("unknown keyword"), "\(uri)")
            }
        }
    }

    // MARK: Row 13: whitespace in text

    @Test func newlinesAndTabsAreKeptWhateverElseTheTextHolds() {
        #expect(HTML.text("a\nb\tc").rendered == "a\nb\tc")
        #expect(HTML.text("a\nb\tc & <d>").rendered == "a\nb\tc &amp; &lt;d&gt;")
        #expect(HTML.text("line\r\nnext 'q'").rendered == "line\r\nnext &#39;q&#39;")
        #expect(HTML.text("x\u{1}y & z").rendered == "x&#xFFFD;y &amp; z")
        #expect(HTML.text("x\u{1}y").rendered == "x&#xFFFD;y")
    }
}
