import PipelineModel

/// Waits between claims of an empty queue: short at first so a new post is picked up
/// quickly, doubling up to a ceiling so idle workers don't hammer the queue. The
/// consumer's setting of the one `Backoff` formula.
public struct IdleBackoff: Sendable, Hashable {
    private var backoff: Backoff

    /// First wait.
    public var initial: Duration { backoff.initial }
    /// Longest wait.
    public var maximum: Duration { backoff.maximum }

    /// A backoff starting at `initial`, doubling up to `maximum` (raised to `initial` if
    /// below it: the first wait is always `initial`).
    public init(initial: Duration, maximum: Duration) {
        backoff = .doubling(initial: initial, maximum: max(initial, maximum))
    }

    /// The wait after another empty claim.
    public mutating func next() -> Duration { backoff.next() }

    /// Work arrived: the next idle wait starts over at `initial`.
    public mutating func reset() { backoff.reset() }
}
