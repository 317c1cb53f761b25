import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A minimal W3C WebDriver client (the JSON protocol chromedriver speaks), enough to
/// load pages, run scripts and take screenshots in the real-browser test.
struct WebDriver {
    let base: URL
    let session: String

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func request(_ method: String, _ url: URL, body: Any? = nil) async throws -> Any {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 60
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, _) = try await URLSession.shared.data(for: request)
        let json = try JSONSerialization.jsonObject(with: data)
        guard let object = json as? [String: Any] else { throw Failure(description: "not a WebDriver reply") }
        if let value = object["value"] as? [String: Any], let error = value["error"] as? String {
            throw Failure(description: "webdriver \(error): \(value["message"] ?? "")")
        }
        return object["value"] ?? NSNull()
    }

    /// Opens a headless Chromium session through the chromedriver at `base`.
    static func start(base: URL, chromium: String) async throws -> WebDriver {
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "goog:chromeOptions": ["binary": chromium,
                                   "args": ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                            "--window-size=1280,1000", "--disable-dev-shm-usage"]],
        ]]]
        let value = try await request("POST", base.appendingPathComponent("session"), body: capabilities)
        guard let id = (value as? [String: Any])?["sessionId"] as? String else {
            throw Failure(description: "no session id")
        }
        return WebDriver(base: base, session: id)
    }

    private var sessionURL: URL { base.appendingPathComponent("session").appendingPathComponent(session) }

    func open(_ url: String) async throws {
        _ = try await Self.request("POST", sessionURL.appendingPathComponent("url"), body: ["url": url])
    }

    /// Runs `script` (a function body) in the page and returns its result.
    func run(_ script: String) async throws -> Any {
        try await Self.request("POST", sessionURL.appendingPathComponent("execute/sync"),
                               body: ["script": script, "args": [Any]()])
    }

    func setWindowSize(width: Int, height: Int) async throws {
        _ = try await Self.request("POST", sessionURL.appendingPathComponent("window/rect"),
                                   body: ["width": width, "height": height])
    }

    func screenshot(to file: URL) async throws {
        let value = try await Self.request("GET", sessionURL.appendingPathComponent("screenshot"))
        guard let base64 = value as? String, let png = Data(base64Encoded: base64) else {
            throw Failure(description: "no screenshot")
        }
        try png.write(to: file)
    }

    func quit() async {
        _ = try? await Self.request("DELETE", sessionURL)
    }

    /// Polls `script` until it returns true (the browser updates asynchronously).
    func waitUntil(_ script: String, attempts: Int = 200) async throws -> Bool {
        for _ in 0..<attempts {
            if (try await run(script)) as? Bool == true { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
