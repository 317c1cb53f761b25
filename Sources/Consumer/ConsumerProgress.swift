import Foundation
import Synchronization

/// Running totals of a consumer pool since it started.
public struct ConsumerProgress: Sendable, Hashable {
    /// Batches processed (recorded and acknowledged, or released).
    public var batches = 0
    /// Posts stored and counted for the first time.
    public var recorded = 0
    /// Posts the store already had (redeliveries), acknowledged without counting.
    public var duplicates = 0
    /// Deliveries that were not a post's first.
    public var redeliveries = 0
    /// Posts released with a failure reason (they count toward the dead-letter limit).
    public var failures = 0
    /// Posts handed back without blame because the store was unreachable.
    public var deferred = 0
    /// Posts whose lease expired before they were recorded (another worker records them).
    public var leasesLost = 0

    public init() {}
}

/// The pool's totals behind a lock, updated once per batch.
final class ProgressCounter: Sendable {
    private let progress = Mutex(ConsumerProgress())

    var snapshot: ConsumerProgress {
        progress.withLock { $0 }
    }

    func update(_ body: (inout ConsumerProgress) -> Void) {
        progress.withLock { body(&$0) }
    }
}
