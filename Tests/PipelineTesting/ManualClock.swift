import Foundation

/// A clock that only moves when a test says so: lease expiry and lag are tested by
/// advancing it, never by sleeping.
public final class ManualClock: @unchecked Sendable {
    // Invariant: `current` is only touched while `lock` is held.
    private let lock = NSLock()
    private var current: Date

    /// A clock showing `start` (whole seconds, so dates survive millisecond storage).
    public init(start: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        current = start
    }

    /// The time now.
    public func now() -> Date {
        lock.withLock { current }
    }

    /// Moves the clock forward.
    public func advance(by seconds: TimeInterval) {
        lock.withLock { current.addTimeInterval(seconds) }
    }

    /// The clock as the closure the in-memory and MongoDB queues take.
    public var source: @Sendable () -> Date {
        { [self] in now() }
    }
}
