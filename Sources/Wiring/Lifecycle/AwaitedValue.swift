import PipelineModel
import Synchronization

/// A value that becomes known once — the port a server bound, or why it could not — and
/// that any number of tasks await. Waiting is cancellable; settling twice keeps the first.
public final class AwaitedValue<Value: Sendable>: Sendable {
    private enum State {
        case waiting([Int: CheckedContinuation<Value, any Error>], nextID: Int)
        case settled(Result<Value, any Error>)
    }

    private let state = Mutex(State.waiting([:], nextID: 0))

    /// An unsettled value.
    public init() {}

    /// Settles with `value` (no effect when already settled).
    public func succeed(_ value: Value) { settle(.success(value)) }

    /// Settles with `error` (no effect when already settled).
    public func fail(_ error: any Error) { settle(.failure(error)) }

    /// The value once settled; throws the failure, or `CancellationError` when the waiting
    /// task is cancelled first.
    public func value() async throws -> Value {
        let id: Int? = state.withLock { state in
            guard case .waiting(let waiters, let next) = state else { return nil }
            state = .waiting(waiters, nextID: next + 1)
            return next
        }
        guard let id else { return try settledResult!.get() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let immediate: Result<Value, any Error>? = state.withLock { state in
                    switch state {
                    case .settled(let result): return result
                    case .waiting(var waiters, let next):
                        if Task.isCancelled { return .failure(CancellationError()) }
                        waiters[id] = continuation
                        state = .waiting(waiters, nextID: next)
                        return nil
                    }
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let waiter: CheckedContinuation<Value, any Error>? = state.withLock { state in
                guard case .waiting(var waiters, let next) = state else { return nil }
                let waiter = waiters.removeValue(forKey: id)
                state = .waiting(waiters, nextID: next)
                return waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    private var settledResult: Result<Value, any Error>? {
        state.withLock { state in
            if case .settled(let result) = state { return result }
            return nil
        }
    }

    private func settle(_ result: Result<Value, any Error>) {
        let waiters: [CheckedContinuation<Value, any Error>] = state.withLock { state in
            guard case .waiting(let waiters, _) = state else { return [] }
            state = .settled(result)
            return Array(waiters.values)
        }
        for waiter in waiters { waiter.resume(with: result) }
    }
}
