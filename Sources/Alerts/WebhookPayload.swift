import Foundation
import PipelineModel

/// The JSON a webhook receives for one alert transition: `id`, `keyword`, `kind`,
/// `state`, `start`, `end` (ISO 8601, UTC), `observed`, `expected` and `text` (the
/// one-line summary a chat incoming webhook shows as is).
struct WebhookPayload: Encodable {
    var id: String
    var keyword: String
    var kind: String
    var state: String
    var start: String
    var end: String
    var observed: Double
    var expected: Double
    var text: String

    init(_ alert: Alert) {
        id = alert.id
        keyword = alert.keyword
        kind = alert.kind.rawValue
        state = alert.state.rawValue
        start = Self.iso(alert.start)
        end = Self.iso(alert.end)
        observed = alert.observed
        expected = (alert.expected * 1_000).rounded() / 1_000
        text = alert.summary
    }

    /// The body, keys sorted (stable bytes for the same transition on every attempt).
    static func json(_ alert: Alert) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(WebhookPayload(alert))) ?? Data("{}".utf8), as: UTF8.self)
    }

    private static func iso(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
    }
}
