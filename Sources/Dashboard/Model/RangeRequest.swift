import Foundation

/// The time range a page or API request asks for: a preset ending now (or at `end`),
/// or an explicit `from`–`to`. Parsed in one place (`QueryParameters.rangeRequest`).
public enum RangeRequest: Sendable, Equatable {
    /// `range=` (default 1h), anchored at `end=` when given.
    case preset(TimeRange, end: Date?)
    /// `from=` and `to=`: posts with `from ≤ timestamp < to`.
    case between(DateInterval)

    /// The longest explicit range: the hourly roll-ups' default retention plus a margin.
    public static let longest: TimeInterval = 92 * 86_400

    /// The query string that asks for this range again (`range=…[&end=…]` or `from=…&to=…`).
    public var query: String {
        switch self {
        case .preset(let range, let end):
            "range=" + range.rawValue + (end.map { "&end=" + TimeFormat.iso8601($0) } ?? "")
        case .between(let interval):
            "from=" + TimeFormat.iso8601(interval.start) + "&to=" + TimeFormat.iso8601(interval.end)
        }
    }
}
