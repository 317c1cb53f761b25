import Foundation
import PipelineModel

/// UTC date and time labels for axes, tooltips and tables.
///
/// Pages render on the server without knowing the reader's zone, so everything is UTC
/// and says so; the arithmetic is done by hand to stay fast and locale-independent.
public enum TimeFormat {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Civil UTC fields of a date.
    struct Fields: Equatable {
        var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
    }

    static func fields(_ date: Date) -> Fields {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let date = CivilDate(daysSinceEpoch: days)
        return Fields(year: date.year, month: date.month, day: date.day, hour: secondOfDay / 3600,
                      minute: secondOfDay % 3600 / 60, second: secondOfDay % 60)
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// `14:05`
    public static func clock(_ date: Date) -> String {
        let f = fields(date)
        return "\(two(f.hour)):\(two(f.minute))"
    }

    /// `14:05:09`
    public static func clockWithSeconds(_ date: Date) -> String {
        let f = fields(date)
        return "\(two(f.hour)):\(two(f.minute)):\(two(f.second))"
    }

    /// `Nov 29`
    public static func day(_ date: Date) -> String {
        let f = fields(date)
        return "\(months[f.month - 1]) \(f.day)"
    }

    /// `Nov 29 14:05`
    public static func dayAndClock(_ date: Date) -> String { "\(day(date)) \(clock(date))" }

    /// `2026-11-29T14:05:09Z`, the form `?end=` accepts.
    public static func iso8601(_ date: Date) -> String {
        let f = fields(date)
        return "\(f.year)-\(two(f.month))-\(two(f.day))T\(two(f.hour)):\(two(f.minute)):\(two(f.second))Z"
    }

    /// `2026-11-29T14:05:00.250Z`: to the millisecond, for exports.
    public static func iso8601Milliseconds(_ date: Date) -> String {
        let millis = Int((date.timeIntervalSince1970 * 1000).rounded(.down)) % 1000
        let fraction = (millis + 1000) % 1000
        return String(iso8601(date).dropLast()) + "." + String(format: "%03d", fraction) + "Z"
    }

    /// A bucket as `Nov 29 14:05–14:06 UTC` (the end's day is shown only when it differs).
    public static func span(from start: Date, to end: Date) -> String {
        let endLabel = day(start) == day(end) ? clock(end) : dayAndClock(end)
        return "\(dayAndClock(start))–\(endLabel) UTC"
    }

    /// How long ago `date` was, relative to `now`: `42 s ago`, `5 min ago`, `3 h ago`, `2 d ago`.
    public static func age(of date: Date, now: Date) -> String {
        let s = max(0, Int(now.timeIntervalSince(date)))
        switch s {
        case ..<60: return "\(s) s ago"
        case ..<3600: return "\(s / 60) min ago"
        case ..<86_400: return "\(s / 3600) h ago"
        default: return "\(s / 86_400) d ago"
        }
    }
}
