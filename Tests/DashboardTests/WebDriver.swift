import Foundation
import Hummingbird

/// A minimal W3C WebDriver client (the JSON protocol chromedriver speaks), enough to
/// load pages, run scripts and take screenshots in the real-browser test. Every request
/// has a timeout, so a wedged browser fails the test instead of hanging it.
struct WebDriver: Sendable {
    /// chromedriver's port on 127.0.0.1.
    let port: Int
    let session: String
    let timeout: Duration

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func request(_ method: HTTPRequest.Method, port: Int, _ path: String, body: Any? = nil,
                        timeout: Duration) async throws -> Any {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let reply = try await LoopbackHTTP.request(method, port: port, path: path, body: data, timeout: timeout)
        let json = try JSONSerialization.jsonObject(with: reply.body)
        guard let object = json as? [String: Any] else { throw Failure(description: "not a WebDriver reply") }
        if let value = object["value"] as? [String: Any], let error = value["error"] as? String {
            throw Failure(description: "webdriver \(error): \(value["message"] ?? "")")
        }
        return object["value"] ?? NSNull()
    }

    /// Polls chromedriver's `/status` until it is ready, at most `timeout`.
    static func waitUntilReady(port: Int, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        var last = "no answer"
        while ContinuousClock.now < deadline {
            do {
                let value = try await request(.get, port: port, "/status", timeout: .seconds(5))
                if truth((value as? [String: Any])?["ready"]) == true { return }
                last = "not ready: \(value)"
            } catch {
                last = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "chromedriver on port \(port) not ready within \(timeout): \(last)")
    }

    /// A JSON boolean as Foundation on Linux hands it over (`Bool` or `NSNumber`).
    static func truth(_ value: Any?) -> Bool? {
        if let bool = value as? Bool { return bool }
        if let number = value as? NSNumber { return number.boolValue }
        return nil
    }

    /// A JSON integer (`Int` or `NSNumber`).
    static func integer(_ value: Any?) -> Int? {
        if let int = value as? Int { return int }
        if let number = value as? NSNumber { return number.intValue }
        return nil
    }

    /// Opens a headless Chromium session through the chromedriver on `port`.
    static func start(port: Int, chromium: String, arguments: [String], timeout: Duration) async throws -> WebDriver {
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:chromeOptions": ["binary": chromium, "args": arguments],
        ]]]
        let value = try await request(.post, port: port, "/session", body: capabilities, timeout: timeout)
        guard let id = (value as? [String: Any])?["sessionId"] as? String else {
            throw Failure(description: "no session id")
        }
        return WebDriver(port: port, session: id, timeout: timeout)
    }

    private var sessionPath: String { "/session/" + session }

    /// Navigates and waits for the load event.
    func open(_ url: String) async throws {
        _ = try await Self.request(.post, port: port, sessionPath + "/url", body: ["url": url], timeout: timeout)
    }

    /// Runs `script` (a function body) in the page and returns its result.
    func run(_ script: String) async throws -> Any {
        try await Self.request(.post, port: port, sessionPath + "/execute/sync",
                               body: ["script": script, "args": [String]()], timeout: timeout)
    }

    func setWindowSize(width: Int, height: Int) async throws {
        _ = try await Self.request(.post, port: port, sessionPath + "/window/rect",
                                   body: ["width": width, "height": height], timeout: timeout)
    }

    func screenshot(to file: URL) async throws {
        let value = try await Self.request(.get, port: port, sessionPath + "/screenshot", timeout: timeout)
        guard let base64 = value as? String, let png = Data(base64Encoded: base64) else {
            throw Failure(description: "no screenshot")
        }
        try png.write(to: file)
    }

    /// Deletes the session (closes the browser), waiting at most 10 s.
    func quit() async {
        _ = try? await Self.request(.delete, port: port, sessionPath, timeout: .seconds(10))
    }

    /// Polls `script` until it returns true or `within` has passed (the page updates
    /// asynchronously; the bound keeps a broken page from hanging CI).
    func waitUntil(_ script: String, within: Duration = .seconds(20)) async throws -> Bool {
        let deadline = ContinuousClock.now + within
        while ContinuousClock.now < deadline {
            if Self.truth(try await run(script)) == true { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
