import Foundation
import PipelineModel

/// The lifecycle of one detector's condition on one keyword, as a value-type state
/// machine: the first minute that meets the condition starts an episode, each further one
/// updates it (its end, and its evidence when stronger), and `quietMinutes` minutes in a
/// row without it end it. One episode is one alert with one id.
public struct Episode: Sendable, Hashable {
    /// The alert of the open episode; nil between episodes.
    public private(set) var open: Alert?
    private var peak = 0.0
    private var quiet = 0

    /// No episode yet.
    public init() {}

    /// Feeds one closed minute: `evidence` when it met the condition. Returns the alert's
    /// transition (`started`, `updated`, `ended`), or nil when nothing changed.
    mutating func step(minute: Int64, evidence: Evidence?, keyword: String, kind: AlertKind,
                       quietMinutes: Int) -> Alert? {
        guard let evidence else { return stayQuiet(minutes: 1, quietMinutes: quietMinutes) }
        quiet = 0
        let end = Date(timeIntervalSince1970: TimeInterval((minute + 1) * 60))
        guard var alert = open else {
            let alert = Alert(id: AlertID.make(kind: kind, keyword: keyword, startMinute: minute), keyword: keyword,
                              kind: kind, state: .started, start: Date(timeIntervalSince1970: TimeInterval(minute * 60)),
                              end: end, observed: evidence.observed, expected: evidence.expected,
                              threshold: evidence.threshold, label: evidence.label)
            open = alert
            peak = evidence.strength
            return alert
        }
        alert.state = .updated
        alert.end = end
        if evidence.strength > peak {
            peak = evidence.strength
            alert.observed = evidence.observed
            alert.expected = evidence.expected
            alert.threshold = evidence.threshold
            alert.label = evidence.label
        }
        open = alert
        return alert
    }

    /// `minutes` closed minutes without the condition: the end once the quiet run is long enough.
    mutating func stayQuiet(minutes: Int64, quietMinutes: Int) -> Alert? {
        guard var alert = open else { return nil }
        quiet = Int(min(Int64(quiet) + minutes, Int64(Int32.max)))
        guard quiet >= quietMinutes else { return nil }
        alert.state = .ended
        open = nil
        quiet = 0
        return alert
    }
}
