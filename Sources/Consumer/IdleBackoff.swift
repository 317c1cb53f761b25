/// Waits between claims of an empty queue: short at first so a new post is picked up
/// quickly, doubling up to a ceiling so idle workers don't hammer the queue.
public struct IdleBackoff: Sendable, Hashable {
    /// First wait.
    public let initial: Duration
    /// Longest wait.
    public let maximum: Duration
    private var current: Duration?

    /// A backoff starting at `initial`, capped at `maximum`.
    public init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = max(initial, maximum)
    }

    /// The wait after another empty claim.
    public mutating func next() -> Duration {
        let wait = current.map { min($0 * 2, maximum) } ?? initial
        current = wait
        return wait
    }

    /// Work arrived: the next idle wait starts over at `initial`.
    public mutating func reset() {
        current = nil
    }
}
