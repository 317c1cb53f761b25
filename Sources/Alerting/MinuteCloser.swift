import PipelineModel

/// Decides when a minute is closed, in event time: buckets arrive as full values (each
/// update carries the bucket's whole count so far, as the store's change feed sends
/// them), and a minute closes once a post `latenessMinutes` minutes newer has been seen,
/// so posts scored a little out of order still count in their minute. An update of a
/// minute already closed is counted in `lateUpdates` and otherwise ignored.
public struct MinuteCloser: Sendable {
    /// Minutes a bucket stays open after the newest minute seen.
    public let latenessMinutes: Int
    /// The last minute closed.
    public private(set) var closedThrough: Int64?
    /// Updates that came after their minute was closed.
    public private(set) var lateUpdates = 0
    private var open: [Int64: [String: KeywordAggregate]] = [:]
    private var newest: Int64?

    /// A closer waiting `latenessMinutes` after each minute.
    public init(latenessMinutes: Int) {
        self.latenessMinutes = latenessMinutes
    }

    /// Takes a bucket's new full value (minute buckets only).
    public mutating func observe(_ bucket: KeywordAggregate) {
        guard bucket.resolution == .minute else { return }
        let minute = AlertDetector.minute(of: bucket.bucketStart)
        if let closedThrough, minute <= closedThrough {
            lateUpdates += 1
            return
        }
        newest = max(newest ?? minute, minute)
        if let held = open[minute]?[bucket.keyword], held.count >= bucket.count { return }
        open[minute, default: [:]][bucket.keyword] = bucket
    }

    /// The minutes that can be closed now, oldest first, each with its buckets by keyword.
    public mutating func closable() -> [(minute: Int64, buckets: [KeywordAggregate])] {
        guard let newest else { return [] }
        return close(through: newest - Int64(latenessMinutes) - 1)
    }

    /// Closes every minute up to and including `minute` (the end of a replay: everything,
    /// or a clock saying no post of those minutes can still come).
    public mutating func close(through minute: Int64) -> [(minute: Int64, buckets: [KeywordAggregate])] {
        if let closedThrough, minute <= closedThrough { return [] }
        let due = open.keys.filter { $0 <= minute }.sorted()
        closedThrough = minute
        return due.map { start in
            let buckets = open.removeValue(forKey: start)!.values.sorted { $0.keyword < $1.keyword }
            return (start, buckets)
        }
    }

    /// Closes everything held.
    public mutating func closeAll() -> [(minute: Int64, buckets: [KeywordAggregate])] {
        guard let newest else { return [] }
        return close(through: newest)
    }
}
