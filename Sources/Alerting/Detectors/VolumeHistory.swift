/// One keyword's minute counts as the volume spike detector needs them: the last
/// `windowMinutes` counts (median and MAD) and hourly totals of the last days (the
/// same-hour-of-day term). Fixed size, whatever the keyword's volume.
struct VolumeHistory: Sendable {
    private var window: [Int32]
    /// The same counts kept sorted (insert and remove by binary search): the median and
    /// MAD are then a walk from the middle instead of two selections per minute.
    private var sorted: [Int32] = []
    private var next = 0
    private var filled = 0
    /// Minutes followed, saturating: the warm-up test.
    private var followed = 0
    /// Hourly totals in a ring of (days + 1) × 24 slots, by epoch hour.
    private var hourly: [Int32]
    private var currentHour: Int64
    private let firstHour: Int64
    /// Posts per minute this hour of day had on the previous days (median), when ≥ 2 days are known.
    private var seasonalRate: Double?

    init(windowMinutes: Int, seasonalDays: Int, firstMinute: Int64) {
        window = Array(repeating: 0, count: windowMinutes)
        sorted.reserveCapacity(windowMinutes)
        hourly = Array(repeating: 0, count: seasonalDays > 0 ? (seasonalDays + 1) * 24 : 0)
        firstHour = Self.hour(of: firstMinute)
        currentHour = firstHour
    }

    /// Judges `count`, the closed minute's posts, against the history so far, then adds it.
    /// Nil when the minute is unremarkable.
    mutating func close(minute: Int64, count: Int, configuration: AlertConfiguration.VolumeSpike) -> Evidence? {
        moveToHour(Self.hour(of: minute), seasonalDays: configuration.seasonalDays)
        var evidence: Evidence?
        // The cheap test first: most keywords most minutes are below the minimum, and then
        // no median is needed.
        if count >= configuration.minimumCount, followed >= configuration.warmupMinutes, filled > 0 {
            let (median, mad) = sorted.withUnsafeBufferPointer { RobustBaseline.medianAndMAD(sorted: $0) }
            let expected = max(median, seasonalRate ?? 0)
            // A Poisson floor under the robust deviation: a flat series has MAD 0, and a
            // keyword at 10 posts a minute still wobbles by about √10.
            let deviation = max(RobustBaseline.madToStandardDeviation * mad, max(expected, 1).squareRoot())
            let threshold = expected + configuration.thresholdDeviations * deviation
            if Double(count) > threshold {
                evidence = Evidence(observed: Double(count), expected: expected, threshold: threshold,
                                    strength: (Double(count) - expected) / deviation)
            }
        }
        push(count)
        if !hourly.isEmpty {
            let slot = Int(currentHour % Int64(hourly.count))
            hourly[slot] = hourly[slot] &+ Int32(clamping: count)
        }
        return evidence
    }

    /// `minutes` minutes without a post (count 0 each).
    mutating func skip(minutes: Int64) {
        let pushed = min(minutes, Int64(window.count))
        for _ in 0..<pushed { push(0) }
        followed = Int(min(Int64(followed) + minutes - pushed, Int64(Int32.max)))
    }

    /// Keeps the hour pointer at the minute's hour, zeroing the slots of hours passed.
    private mutating func moveToHour(_ hour: Int64, seasonalDays: Int) {
        guard hour != currentHour else { return }
        if !hourly.isEmpty {
            let steps = min(hour - currentHour, Int64(hourly.count))
            for h in (hour - steps + 1)...hour { hourly[Int(h % Int64(hourly.count))] = 0 }
        }
        currentHour = hour
        seasonalRate = seasonalDays > 0 ? seasonal(hour: hour, days: seasonalDays) : nil
    }

    /// The median of this hour's totals on the previous complete days, per minute; nil
    /// before two such days exist.
    private func seasonal(hour: Int64, days: Int) -> Double? {
        var totals: [Int32] = []
        for day in 1...days {
            let past = hour - Int64(day * 24)
            // The first hour was only partly followed: it is no full day's hour.
            guard past > firstHour else { break }
            totals.append(hourly[Int(past % Int64(hourly.count))])
        }
        guard totals.count >= 2 else { return nil }
        let median = totals.withUnsafeMutableBufferPointer { RobustBaseline.median(of: $0) }
        return median / 60
    }

    private mutating func push(_ count: Int) {
        let value = Int32(clamping: count)
        if filled == window.count { sorted.remove(at: Self.lowerBound(of: window[next], in: sorted)) }
        sorted.insert(value, at: Self.lowerBound(of: value, in: sorted))
        window[next] = value
        next = (next + 1) % window.count
        filled = min(filled + 1, window.count)
        if followed < Int(Int32.max) { followed += 1 }
    }

    /// The first index of `sorted` whose value is not below `value`.
    private static func lowerBound(of value: Int32, in sorted: [Int32]) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func hour(of minute: Int64) -> Int64 {
        minute >= 0 ? minute / 60 : (minute - 59) / 60
    }
}
