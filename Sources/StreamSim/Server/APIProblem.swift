import Foundation

/// The JSON error bodies the X API returns, byte-for-byte in the API's field names.
enum APIProblem {
    static func unauthorized() -> [UInt8] {
        json(["title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"])
    }

    static func tooManyRequests() -> [UInt8] {
        json(["title": "Too Many Requests", "type": "about:blank", "status": 429, "detail": "Too Many Requests"])
    }

    static func tooManyConnections() -> [UInt8] {
        json([
            "title": "ConnectionException",
            "detail": "This stream is currently at the maximum allowed connection limit.",
            "connection_issue": "TooManyConnections",
            "type": "https://api.twitter.com/2/problems/streaming-connection",
        ])
    }

    static func serviceUnavailable() -> [UInt8] {
        json(["title": "Service Unavailable", "type": "about:blank", "status": 503, "detail": "Service Unavailable"])
    }

    static func noRules() -> [UInt8] {
        json([
            "title": "ConnectionException",
            "detail": "This stream has no rules. Add rules with POST /2/tweets/search/stream/rules before connecting.",
            "connection_issue": "RuleConfigurationIssue",
            "type": "https://api.twitter.com/2/problems/streaming-connection",
        ])
    }

    static func invalidRequest(_ message: String) -> [UInt8] {
        json([
            "errors": [["message": message]],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": "https://api.twitter.com/2/problems/invalid-request",
        ])
    }

    static func notFound() -> [UInt8] {
        json(["title": "Not Found Error", "type": "about:blank", "status": 404, "detail": "Not Found"])
    }

    /// The in-stream message the API sends before closing for operational reasons.
    static let operationalDisconnect: [UInt8] = json([
        "errors": [[
            "title": "operational-disconnect",
            "disconnect_type": "UpstreamOperationalDisconnect",
            "detail": "This stream has been disconnected upstream for operational reasons.",
            "type": "https://api.twitter.com/2/problems/operational-disconnect",
        ]],
    ]) + Array("\r\n".utf8)

    private static func json(_ object: [String: Any]) -> [UInt8] {
        // Sorted keys keep bodies byte-stable across runs.
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Array(data)
    }
}
