/// The document around every page: head with the nonce'd stylesheet and live script,
/// a header with navigation, and a `main` whose `[data-live]` part the script swaps.
enum PageLayout {
    /// A full page. `nonce` must be the one in this response's Content-Security-Policy.
    static func document(title: String, nonce: String, heading: [HTML], live: HTML,
                         liveKeyword: String?) -> String {
        let events = liveKeyword.map { "/events?keyword=" + Self.percentEncode($0) } ?? "/events"
        let head = HTML.element("head", [], [
            .element("meta", [("charset", "utf-8")]),
            .element("meta", [("name", "viewport"), ("content", "width=device-width, initial-scale=1")]),
            .element("meta", [("name", "referrer"), ("content", "no-referrer")]),
            .element("title", [], [.text(title)]),
            .element("style", [("nonce", nonce)], [.trusted(DashboardAssets.stylesheet)]),
        ])
        let header = HTML.element("header", [("class", "top")], [
            .element("a", [("href", "/"), ("class", "brand")], [.text("Sentiment dashboard")]),
            .element("span", [("id", "live-status"), ("class", "live-status"), ("data-state", "static")],
                     [.text("static page")]),
        ])
        let footer = HTML.element("footer", [], [
            .text("Times in UTC. "),
            .element("a", [("href", "/alerts")], [.text("alerts")]),
            .text(" · "),
            .element("a", [("href", "/api/keywords")], [.text("JSON API")]),
            .text(" · "),
            .element("a", [("href", "/metrics")], [.text("metrics")]),
        ])
        let script = HTML.element("script", [("nonce", nonce), ("data-events", events)],
                                  [.trusted(DashboardAssets.liveScript)])
        let body = HTML.element("body", [], [header, .element("main", [], heading + [live]), footer, script])
        return HTML.element("html", [("lang", "en")], [head, body]).document
    }

    /// Percent-encodes a path segment or query value (everything but unreserved bytes).
    static func percentEncode(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E:
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
