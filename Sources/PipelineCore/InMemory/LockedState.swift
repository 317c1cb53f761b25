import Foundation

/// Mutable state guarded by a lock, shared between tasks.
///
/// The in-memory queue and store take one short lock per batch instead of one actor hop
/// per post: that is what lets the single-process pipeline reach 100k posts/s.
/// (`Synchronization.Mutex` would do the same but needs macOS 15; the package targets 14.)
final class LockedState<State>: @unchecked Sendable {
    // Invariant: `state` is only touched while `lock` is held.
    private let lock = NSLock()
    private var state: State

    init(_ state: State) {
        self.state = state
    }

    /// Runs `body` with exclusive access to the state.
    func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}
