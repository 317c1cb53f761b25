import Foundation
import PipelineModel

/// The detectors for every keyword, fed one closed minute at a time in event time.
///
/// Pure and synchronous: no clock, no I/O. Time comes in with the minutes; a keyword
/// without a bucket in a closed minute had no posts then (count 0), and a run of minutes
/// nobody closed (a quiet stretch of the feed) is filled with zeros the next time. Memory
/// is bounded: a fixed-size history per keyword, at most `maxKeywords` keywords, and a
/// keyword idle longer than all its windows (and not alerting) is forgotten.
public struct AlertDetector: Sendable {
    /// The knobs.
    public let configuration: AlertConfiguration
    /// The last minute closed (epoch minutes), nil before the first.
    public private(set) var lastClosedMinute: Int64?
    /// Buckets of keywords beyond `maxKeywords`, left unwatched.
    public private(set) var unwatchedBuckets = 0

    private var index: [String: Int] = [:]
    private var watches: [KeywordWatch] = []
    private var counts: [Int] = []
    private var tallies: [SentimentHistory.Tally] = []
    private let criticalZ: Double
    /// Minutes after which an idle keyword's histories are all zeros again.
    private let forgetAfter: Int64

    /// Detectors with `configuration` (validated by the caller).
    public init(configuration: AlertConfiguration) {
        self.configuration = configuration
        criticalZ = TwoProportionTest.criticalZ(significance: configuration.sentiment.significance)
        forgetAfter = Int64(max(configuration.volume.windowMinutes,
                                configuration.sentiment.recentMinutes + configuration.sentiment.baselineMinutes,
                                configuration.volume.seasonalDays > 0 ? (configuration.volume.seasonalDays + 1) * 1_440 : 0))
    }

    /// Keywords followed now.
    public var watchedKeywords: Int { watches.count }

    /// The open episodes' alerts, by keyword then kind.
    public var openAlerts: [Alert] {
        watches.flatMap(\.openAlerts).sorted { ($0.keyword, $0.kind.rawValue) < ($1.keyword, $1.kind.rawValue) }
    }

    /// The epoch minute of a date (floor).
    public static func minute(of date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / 60).rounded(.down))
    }

    /// Closes the minute starting at `minute` with its minute `buckets` (at most one per
    /// keyword; other resolutions are ignored). Returns the alert transitions it caused, in
    /// keyword order. A minute not after the last one closed is ignored.
    public mutating func close(minute: Date, buckets: [KeywordAggregate]) -> [Alert] {
        close(minute: Self.minute(of: minute), buckets: buckets)
    }

    /// `close(minute:buckets:)` by epoch minute.
    public mutating func close(minute: Int64, buckets: [KeywordAggregate]) -> [Alert] {
        if let lastClosedMinute, minute <= lastClosedMinute { return [] }
        lastClosedMinute = minute
        for bucket in buckets where bucket.resolution == .minute {
            let slot: Int
            if let known = index[bucket.keyword] {
                slot = known
            } else {
                guard watches.count < configuration.maxKeywords else {
                    unwatchedBuckets += 1
                    continue
                }
                slot = watches.count
                index[bucket.keyword] = slot
                watches.append(KeywordWatch(keyword: bucket.keyword, firstMinute: minute, configuration: configuration))
                counts.append(0)
                tallies.append(.init())
            }
            counts[slot] += bucket.count
            tallies[slot] = tallies[slot] + SentimentHistory.Tally(
                scored: Int32(clamping: bucket.scoredCount), negative: Int32(clamping: bucket.negative),
                neutral: Int32(clamping: bucket.neutral), positive: Int32(clamping: bucket.positive))
        }
        var alerts: [Alert] = []
        for slot in watches.indices {
            watches[slot].close(minute: minute, count: counts[slot], tally: tallies[slot], configuration: configuration,
                                criticalZ: criticalZ, into: &alerts)
            counts[slot] = 0
            tallies[slot] = .init()
        }
        if minute % 60 == 0 { forgetIdle(now: minute) }
        return alerts
    }

    /// Drops keywords idle longer than every window (their state is all zeros again) and
    /// not alerting; cheap, and run once an hour of event time.
    private mutating func forgetIdle(now: Int64) {
        var slot = 0
        while slot < watches.count {
            let watch = watches[slot]
            guard now - watch.lastActive > forgetAfter, !watch.isAlerting else {
                slot += 1
                continue
            }
            // Swap-remove: the last keyword takes this slot.
            index[watch.keyword] = nil
            let last = watches.count - 1
            if slot != last {
                watches.swapAt(slot, last)
                index[watches[slot].keyword] = slot
            }
            watches.removeLast()
            counts.removeLast()
            tallies.removeLast()
        }
    }
}
