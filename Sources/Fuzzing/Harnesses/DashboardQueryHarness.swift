import Dashboard
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PipelineModel
import Storage
import Sentiment

/// The dashboard's query parameters (`range`, `end`/`at`, `limit`, `keyword`, `token`),
/// driven through the real app in-process over a store with posts. The input is the
/// query string: bytes outside the URI's unreserved set are percent-encoded, `=` and `&`
/// kept. Invariant: every answer is a page, a redirect or a client error, never a 5xx.
public struct DashboardQueryHarness: FuzzHarness {
    public let name = "dashboard-query"
    public let seeds: [[UInt8]] = [
        "range=6h", "range=7d&end=2026-11-29T12:00:00Z", "at=2026-11-29T12:00:00.123Z&limit=5",
        "keyword=swift&limit=200", "limit=-1&range=all", "token=abc&range=1h", "end=2026-02-30T25:61:00Z",
    ].map { Array($0.utf8) }

    public let maxLength = 2048
    private static let paths = ["/", "/keywords/swift", "/api/posts", "/api/keywords", "/api/keywords/swift/posts",
                                "/keywords/unknown", "/api/keywords/swift"]

    /// A harness.
    public init() {}

    public mutating func check(_ input: [UInt8]) async throws {
        try await check(batch: [input])
    }

    /// One app per batch: building it per input would dominate the run.
    public mutating func check(batch: [[UInt8]]) async throws {
        let store = InMemorySentimentStore()
        let when = Date(timeIntervalSince1970: 1_795_953_600)
        _ = try await store.record([
            ScoredPost(post: Post(id: "1", text: "I love it", keywords: ["swift"], createdAt: when, receivedAt: when),
                       sentiment: SentimentResult(label: .positive, compound: 0.8, positive: 0.6, neutral: 0.4, negative: 0),
                       engine: "fuzz", engineVersion: "1", scoredAt: when),
        ])
        var logger = Logger(label: "fuzz")
        logger.logLevel = .critical
        let configuration = DashboardConfiguration(now: { when.addingTimeInterval(30) })
        let app = try buildApplication(store: store, configuration: configuration, logger: logger)
        try await app.test(.router) { client in
            for (index, input) in batch.enumerated() {
                let uri = Self.paths[input.count % Self.paths.count] + "?" + Self.query(input)
                let response = try await client.execute(uri: uri, method: .get)
                guard response.status.code < 500 else {
                    var failure = FuzzFailure("GET \(uri) answered \(response.status.code)")
                    failure.batchIndex = index
                    throw failure
                }
            }
        }
    }

    static func query(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E, 0x3D, 0x26, 0x3A:
                text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                text += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return text
    }
}
