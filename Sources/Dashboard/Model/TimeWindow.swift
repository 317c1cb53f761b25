import Foundation
import PipelineModel
import Storage

/// The buckets a chart shows: `range` worth of `resolution` buckets ending with the
/// (possibly partial) bucket that contains `end`, or the buckets covering an explicit
/// `from`–`to` request.
public struct TimeWindow: Sendable, Equatable {
    /// The preset shown; nil for an explicit `from`–`to` range.
    public var range: TimeRange?
    /// Bucket width.
    public var resolution: BucketResolution
    /// Start of the first bucket.
    public var start: Date
    /// End of the last bucket (exclusive).
    public var end: Date
    /// The instant the window was anchored at (now, `?end=`, or the latest post).
    public var anchor: Date
    /// True when there was no data in the window ending now and it was moved back to the latest post.
    public var anchoredToLatest: Bool

    /// The window of `range` ending at `anchor`.
    public init(range: TimeRange, anchor: Date, anchoredToLatest: Bool = false) {
        self.range = range
        self.resolution = range.resolution
        let width = Double(resolution.seconds)
        self.end = resolution.bucketStart(for: anchor).addingTimeInterval(width)
        self.start = end.addingTimeInterval(-Double(range.seconds))
        self.anchor = anchor
        self.anchoredToLatest = anchoredToLatest
    }

    /// The window of an explicit range: buckets as wide as its length calls for (as the
    /// presets choose them), widened to whole buckets at both ends.
    public init(from: Date, to: Date) {
        range = nil
        let seconds = to.timeIntervalSince(from)
        resolution = seconds <= 3600 ? .minute : seconds <= 21_600 ? .fiveMinutes : .hour
        let width = Double(resolution.seconds)
        start = resolution.bucketStart(for: from)
        end = resolution.bucketStart(for: to.addingTimeInterval(-0.001)).addingTimeInterval(width)
        anchor = to
        anchoredToLatest = false
    }

    /// Chooses the anchor: an explicit `end` wins; otherwise `now`, unless the latest post
    /// is older than the range, in which case the window ends at that post so replays of
    /// old data and quiet keywords still show something.
    public static func resolve(range: TimeRange, explicitEnd: Date?, now: Date, latest: Date?) -> TimeWindow {
        if let explicitEnd { return TimeWindow(range: range, anchor: explicitEnd) }
        let current = TimeWindow(range: range, anchor: now)
        if let latest, latest < current.start || latest > now {
            return TimeWindow(range: range, anchor: latest, anchoredToLatest: true)
        }
        return current
    }

    /// Number of buckets.
    public var bucketCount: Int { Int((end.timeIntervalSince(start) / Double(resolution.seconds)).rounded()) }

    /// How the window reads in a sentence: "hour", "7 days", or its span.
    public var phrase: String { range?.phrase ?? TimeFormat.span(from: start, to: end) }

    /// Whether the bucket starting at `start` is still filling at `now` (drawn as unfinished).
    public func isUnfinished(bucketStart: Date, now: Date) -> Bool {
        now < bucketStart.addingTimeInterval(Double(resolution.seconds))
    }

    /// The interval to ask the store for; its end is pulled in by a millisecond because
    /// `DateInterval` contains its end and the next bucket starts exactly there.
    public var storeInterval: DateInterval {
        DateInterval(start: start, end: end.addingTimeInterval(-0.001))
    }

    /// Every bucket of the window, with the store's buckets in place and empty ones between.
    public func grid(keyword: String, buckets: [KeywordAggregate]) -> [KeywordAggregate] {
        let width = Double(resolution.seconds)
        var slots = (0..<bucketCount).map {
            KeywordAggregate(keyword: keyword, bucketStart: start.addingTimeInterval(Double($0) * width),
                             resolution: resolution)
        }
        for bucket in buckets {
            let index = Int((bucket.bucketStart.timeIntervalSince(start) / width).rounded(.down))
            guard slots.indices.contains(index) else { continue }
            slots[index].merge(bucket)
        }
        return slots
    }
}
