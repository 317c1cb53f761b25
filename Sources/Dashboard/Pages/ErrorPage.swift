import Hummingbird

/// The page a browser gets instead of a bare error: the dashboard's layout, the status,
/// the one-line reason and a way back. The JSON API, SSE and metrics keep their own
/// error bodies (`wantsPage(_:)`).
enum ErrorPage {
    /// Whether an error for `request` should be a page: browser navigations, i.e. `GET`
    /// or `HEAD` outside the JSON API, the event stream, metrics, health and test routes.
    static func wantsPage(_ request: Request) -> Bool {
        wantsPage(method: request.method, path: request.uri.path)
    }

    /// `wantsPage(_:)` for a method and a path (without the query).
    static func wantsPage(method: HTTPRequest.Method, path: String) -> Bool {
        guard method == .get || method == .head else { return false }
        for machineRoute in ["/api/", "/events", "/metrics", "/healthz", "/test/"] where path.hasPrefix(machineRoute) {
            return false
        }
        return path != "/api"
    }

    /// The full document. `reason` is shown as text (escaped), never as markup.
    static func render(status: HTTPResponse.Status, reason: String, nonce: String) -> String {
        let title = "\(status.code) \(status.reasonPhrase)"
        return PageLayout.document(
            title: "\(title) · Sentiment dashboard", nonce: nonce,
            heading: [.element("h1", [], [.text(title)])],
            live: .element("section", [("class", "card error")], [
                .element("p", [("class", "notice")], [.text(reason)]),
                .element("p", [], [.element("a", [("href", "/")], [.text("Back to the overview")])]),
            ]),
            liveKeyword: nil)
    }

    /// A response carrying the page.
    static func response(status: HTTPResponse.Status, reason: String, nonce: String) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: render(status: status, reason: reason, nonce: nonce))))
    }
}
