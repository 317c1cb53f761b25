import Foundation

/// What an alert is about: the volume of a keyword or the sentiment of its posts.
public enum AlertKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A minute's post count far above the keyword's robust baseline.
    case volumeSpike = "volume_spike"
    /// A label's share in the recent window significantly off its baseline share.
    case sentimentShift = "sentiment_shift"
}

/// Where an alert's episode stands: the transition it last went through.
public enum AlertState: String, Sendable, Hashable, Codable {
    /// The condition began (delivered to webhooks).
    case started
    /// The condition still holds; the end and the evidence moved (stored, not delivered).
    case updated
    /// The condition has not held for the configured quiet minutes (delivered).
    case ended

    /// Whether receivers are told of this transition (`started` and `ended` only: one
    /// episode is two messages, not one per minute).
    public var isDelivered: Bool { self != .updated }
}

/// One episode of an alert condition on one keyword, with its evidence: shared by the
/// detectors that make it, the stores that keep it and the deliveries that send it.
///
/// `id` is stable: it is derived from kind, keyword and start minute, so a replay of the
/// same archive (or a restart re-detecting the same episode) yields the same id and
/// receivers de-duplicate by it.
public struct Alert: Sendable, Hashable, Codable, Identifiable {
    /// Stable id (16 hex digits).
    public var id: String
    /// The keyword.
    public var keyword: String
    /// Volume spike or sentiment shift.
    public var kind: AlertKind
    /// The latest transition.
    public var state: AlertState
    /// Start of the first minute in which the condition held.
    public var start: Date
    /// End of the last minute in which the condition held (so far, while not ended).
    public var end: Date
    /// The evidence: posts in the peak minute (volume), or the label's recent share (sentiment).
    public var observed: Double
    /// What was expected then: the robust baseline count, or the baseline share.
    public var expected: Double
    /// The value `observed` had to exceed (volume) or the z the shift reached (sentiment).
    public var threshold: Double
    /// For a sentiment shift the label whose share moved (`negative`, `positive`); nil for volume.
    public var label: SentimentLabel?

    /// An alert as given.
    public init(id: String, keyword: String, kind: AlertKind, state: AlertState, start: Date, end: Date,
                observed: Double, expected: Double, threshold: Double, label: SentimentLabel? = nil) {
        self.id = id
        self.keyword = keyword
        self.kind = kind
        self.state = state
        self.start = start
        self.end = end
        self.observed = observed
        self.expected = expected
        self.threshold = threshold
        self.label = label
    }

    /// A one-line human summary (the webhook's `text`, so a chat incoming webhook shows it as is).
    public var summary: String {
        let verb = state == .ended ? "ended" : "started"
        let when = Self.minuteText(start) + (state == .ended ? "–" + Self.minuteText(end) : "")
        switch kind {
        case .volumeSpike:
            return "Volume spike on \"\(keyword)\" \(verb) (\(when) UTC): \(Int(observed.rounded())) posts/min "
                + "against \(String(format: "%.1f", expected)) expected"
        case .sentimentShift:
            let name = label?.rawValue ?? "sentiment"
            return "Sentiment shift on \"\(keyword)\" \(verb) (\(when) UTC): \(name) share "
                + "\(Self.percent(observed)) against \(Self.percent(expected)) before"
        }
    }

    private static func percent(_ share: Double) -> String { String(format: "%.0f%%", share * 100) }

    /// `2026-01-01 12:34`, UTC (a minute is the detectors' resolution).
    private static func minuteText(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let civil = CivilDate(daysSinceEpoch: Int(days))
        let inDay = Int(seconds - days * 86_400)
        return String(format: "%04d-%02d-%02d %02d:%02d", civil.year, civil.month, civil.day,
                      inDay / 3600, inDay % 3600 / 60)
    }
}
