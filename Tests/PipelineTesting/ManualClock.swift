import Foundation
import Synchronization

/// A clock that only moves when a test says so: lease expiry and lag are tested by
/// advancing it, never by sleeping.
public final class ManualClock: Sendable {
    private let current: Mutex<Date>

    /// A clock showing `start` (whole seconds, so dates survive millisecond storage).
    public init(start: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        current = Mutex(start)
    }

    /// The time now.
    public func now() -> Date {
        current.withLock { $0 }
    }

    /// Moves the clock forward.
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0.addTimeInterval(seconds) }
    }

    /// The clock as the closure the in-memory and MongoDB queues take.
    public var source: @Sendable () -> Date {
        { [self] in now() }
    }
}
