import Foundation

/// Tick positions and labels for a time axis: a round step (1 min … 1 day) chosen so the
/// axis carries at most `maxTicks` labels, aligned to UTC multiples of the step.
public struct TimeTicks: Sendable, Equatable {
    /// A tick: where it is and what it says.
    public struct Tick: Sendable, Equatable {
        /// The instant.
        public var date: Date
        /// Its label.
        public var label: String
    }

    /// Seconds between ticks.
    public var step: Int
    /// The ticks inside the interval, in order.
    public var ticks: [Tick]

    private static let steps = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800]

    /// Ticks for `interval`.
    public init(interval: DateInterval, maxTicks: Int = 8) {
        let span = max(1, interval.duration)
        let step = Self.steps.first { span / Double($0) <= Double(maxTicks) } ?? Self.steps.last!
        self.step = step
        var ticks: [Tick] = []
        var t = (interval.start.timeIntervalSince1970 / Double(step)).rounded(.up) * Double(step)
        while t <= interval.end.timeIntervalSince1970 {
            let date = Date(timeIntervalSince1970: t)
            let atMidnight = Int(t) % 86_400 == 0
            let label: String
            if step >= 86_400 || atMidnight {
                label = TimeFormat.day(date)
            } else {
                label = TimeFormat.clock(date)
            }
            ticks.append(Tick(date: date, label: label))
            t += Double(step)
        }
        self.ticks = ticks
    }
}
