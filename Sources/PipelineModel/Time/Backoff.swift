/// How long to wait after each of a run of consecutive failures, capped: the one back-off
/// formula of the pipeline (the listener's reconnects, the consumer's idle claims).
///
/// A pure value: `next()` counts a failure and returns the wait before the next attempt,
/// `reset()` starts the run over. No clock is read, so every schedule is testable as a
/// list of durations.
///
/// - `.linear`: `initial`, 2 × `initial`, 3 × `initial`, … up to `maximum`.
/// - `.doubling`: `initial`, 2 × `initial`, 4 × `initial`, … up to `maximum`. Each wait is
///   doubled from the previous one and capped at once, so no run is long enough to
///   overflow `Duration`.
public struct Backoff: Sendable, Hashable {
    /// How the wait grows from one failure to the next.
    public enum Growth: Sendable, Hashable {
        /// By `initial` each time.
        case linear
        /// Twice the previous wait.
        case doubling
    }

    /// The wait after the first failure (and the step of a linear back-off).
    public let initial: Duration
    /// The longest wait.
    public let maximum: Duration
    /// How the wait grows.
    public let growth: Growth
    /// Consecutive failures counted by `next()` since the last `reset()`.
    public private(set) var failures = 0
    /// The wait `next()` last returned; nil before the first failure of a run.
    public private(set) var current: Duration?

    /// A back-off from `initial` growing by `growth`, never waiting longer than `maximum`.
    public init(initial: Duration, maximum: Duration, growth: Growth) {
        self.initial = initial
        self.maximum = maximum
        self.growth = growth
    }

    /// `initial`, `2 × initial`, `3 × initial`, … capped at `maximum`.
    public static func linear(step: Duration, maximum: Duration) -> Backoff {
        Backoff(initial: step, maximum: maximum, growth: .linear)
    }

    /// `initial`, doubling, capped at `maximum`.
    public static func doubling(initial: Duration, maximum: Duration) -> Backoff {
        Backoff(initial: initial, maximum: maximum, growth: .doubling)
    }

    /// Counts one more failure and returns the wait before the next attempt.
    public mutating func next() -> Duration {
        failures += 1
        let wait = switch growth {
        case .linear: min(initial * failures, maximum)
        case .doubling: current.map { min($0 * 2, maximum) } ?? min(initial, maximum)
        }
        current = wait
        return wait
    }

    /// Success: the next failure waits `initial` again.
    public mutating func reset() {
        failures = 0
        current = nil
    }
}
