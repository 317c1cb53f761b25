@testable import Dashboard
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct SecurityTests {
    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        let app = try Fixtures.app(store: try await Fixtures.store())
        try await app.test(.router) { client in
            for uri in ["/", "/keywords/swift", "/api/keywords", "/healthz", "/metrics", "/keywords/swift?range=x", "/missing"] {
                let response = try await client.execute(uri: uri, method: .get)
                let csp = try #require(response.headers[.contentSecurityPolicy], "\(uri)")
                #expect(csp.hasPrefix("default-src 'none'; script-src 'nonce-"))
                #expect(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[.init("Referrer-Policy")!] == "no-referrer")
            }
        }
    }

    @Test func inlineScriptAndStyleCarryThisResponsesNonce() async throws {
        let app = try Fixtures.app(store: try await Fixtures.store())
        try await app.test(.router) { client in
            let first = try await client.execute(uri: "/", method: .get)
            let second = try await client.execute(uri: "/", method: .get)
            let nonce = try #require(first.headers[.contentSecurityPolicy]?.firstMatch(of: #/'nonce-([^']+)'/#)).output.1
            #expect(first.text.contains("<script nonce=\"\(nonce)\""))
            #expect(first.text.contains("<style nonce=\"\(nonce)\">"))
            #expect(first.text.matches(of: #/<script/#).count == 1)
            #expect(!first.text.contains(" style=\""))
            #expect(second.headers[.contentSecurityPolicy] != first.headers[.contentSecurityPolicy])
        }
    }

    @Test func postTextAndKeywordsRenderAsTextNeverAsMarkup() async throws {
        let app = try Fixtures.app(store: try await Fixtures.store())
        try await app.test(.router) { client in
            for uri in ["/", "/keywords/swift?range=1h", "/keywords/c%2B%2B%20%3Cb%3E"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok, "\(uri)")
                let html = response.text
                // The only script element is the page's own nonce'd one.
                #expect(html.matches(of: #/<script/#).count == 1, "\(uri)")
                #expect(!html.contains("<script>alert"))
                #expect(!html.contains("<img"))
                #expect(!html.contains("<b>"))
                #expect(!html.contains("\"onmouseover"))
                #expect(!html.contains("\u{202E}"))
            }
            let page = try await client.execute(uri: "/keywords/swift?range=1h", method: .get).text
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;onmouseover=alert(2) &#39;x&#39; &#x202E;evil&#x202C; 🎉"))
            #expect(page.contains("@&lt;img src=x onerror=alert(3)&gt;"))
            let keywordPage = try await client.execute(uri: "/keywords/c%2B%2B%20%3Cb%3E", method: .get).text
            #expect(keywordPage.contains("<h1><bdi>c++ &lt;b&gt;</bdi></h1>"))
            #expect(keywordPage.contains("&lt;b&gt;bold&lt;/b&gt; &amp; co"))
            #expect(keywordPage.contains("data-events=\"/events?keyword=c%2B%2B%20%3Cb%3E\""))
        }
    }

    @Test func nonLoopbackHostRequiresAToken() throws {
        #expect(throws: DashboardConfigurationError.tokenRequired(host: "0.0.0.0")) {
            try Fixtures.app(store: UnreachableStore(), configuration: Fixtures.configuration(host: "0.0.0.0"))
        }
        #expect(throws: DashboardConfigurationError.self) {
            try Fixtures.app(store: UnreachableStore(), configuration: Fixtures.configuration(token: "short", host: "0.0.0.0"))
        }
        #expect(DashboardConfigurationError.tokenRequired(host: "0.0.0.0").description
            == "refusing to serve on non-loopback host 0.0.0.0 without an access token: set DASHBOARD_TOKEN")
        _ = try Fixtures.app(store: UnreachableStore(),
                             configuration: Fixtures.configuration(token: Fixtures.strongToken, host: "0.0.0.0"))
        _ = try Fixtures.app(store: UnreachableStore(), configuration: Fixtures.configuration(host: "localhost"))
    }

    @Test func tokenIsRequiredAndAcceptedInEveryForm() async throws {
        let token = Fixtures.strongToken
        let app = try Fixtures.app(store: try await Fixtures.store(),
                                   configuration: Fixtures.configuration(token: token, host: "0.0.0.0"))
        try await app.test(.router) { client in
            let denied = try await client.execute(uri: "/api/keywords", method: .get)
            #expect(denied.status == .unauthorized)
            #expect(denied.headers[.wwwAuthenticate]?.hasPrefix("Basic realm=") == true)
            #expect(!denied.text.contains(token))
            #expect(try await client.execute(uri: "/", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/keywords", method: .get,
                                             headers: [.authorization: "Bearer wrong-horse-battery"]).status == .unauthorized)
            #expect(try await client.execute(uri: "/?token=nope", method: .get).status == .unauthorized)
            // Health stays open for load balancers.
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)

            #expect(try await client.execute(uri: "/api/keywords", method: .get,
                                             headers: [.authorization: "Bearer \(token)"]).status == .ok)
            let basic = Data("anyone:\(token)".utf8).base64EncodedString()
            #expect(try await client.execute(uri: "/", method: .get,
                                             headers: [.authorization: "Basic \(basic)"]).status == .ok)
            #expect(try await client.execute(uri: "/", method: .get,
                                             headers: [.cookie: "dashboard_token=\(token)"]).status == .ok)

            let redirect = try await client.execute(uri: "/keywords/swift?range=6h&token=\(token)", method: .get)
            #expect(redirect.status == .seeOther)
            #expect(redirect.headers[.location] == "/keywords/swift?range=6h")
            let cookie = try #require(redirect.headers[.setCookie])
            #expect(cookie.contains("dashboard_token=\(token)") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            let api = try await client.execute(uri: "/api/keywords?token=\(token)", method: .get)
            #expect(api.status == .ok)
            #expect(!api.text.contains(token))
        }
    }
}
