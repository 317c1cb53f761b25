import Foundation

/// An alert transition as JSON shows it, in a webhook's body, `GET /api/alerts` and the
/// back-test report alike: `id`, `keyword`, `kind`, `state`, `start`, `end` (ISO 8601,
/// UTC), `observed`, `expected` and `text` (the one-line summary a chat incoming webhook
/// shows as is).
public struct AlertMessage: Codable, Sendable, Hashable {
    /// Stable id of the episode.
    public var id: String
    /// The keyword.
    public var keyword: String
    /// `volume_spike` or `sentiment_shift`.
    public var kind: String
    /// `started`, `updated` or `ended` (the back-test writes `open` for an episode still
    /// holding at the end of the replay).
    public var state: String
    /// Start of the first minute in which the condition held.
    public var start: String
    /// End of the last minute in which it held.
    public var end: String
    /// The evidence (see `Alert.observed`).
    public var observed: Double
    /// What was expected, to three decimals.
    public var expected: Double
    /// One-line human summary.
    public var text: String

    /// The message of `alert` as it stands.
    public init(_ alert: Alert) {
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

    /// The JSON, keys sorted: the same bytes for the same transition on every attempt.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    private static func iso(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
    }
}
