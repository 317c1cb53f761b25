/// Decides when an open stream has stalled: no bytes at all — heartbeats included — for
/// `timeout`. Counting only posts would reconnect needlessly on quiet keywords.
/// Generic over the instant type so tests drive it with constructed instants.
public struct StallDetector<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// How long silence may last.
    public let timeout: Duration
    private var lastActivity: Instant

    /// Starts watching at `start` (the moment the connection opened).
    public init(timeout: Duration, start: Instant) {
        self.timeout = timeout
        self.lastActivity = start
    }

    /// Records that bytes arrived.
    public mutating func bytesArrived(at instant: Instant) {
        if instant > lastActivity { lastActivity = instant }
    }

    /// True once `timeout` has passed since the last bytes.
    public func isStalled(at instant: Instant) -> Bool {
        lastActivity.duration(to: instant) >= timeout
    }
}
