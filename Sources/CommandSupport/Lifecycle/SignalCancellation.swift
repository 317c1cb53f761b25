import Dispatch
import Foundation

/// Runs an operation and cancels it on SIGINT or SIGTERM, so executables stop cleanly:
/// cancellation is every component's graceful-shutdown path.
public enum SignalCancellation {
    /// Runs `operation`; the first SIGINT or SIGTERM cancels it.
    public static func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await operation() }
        let sources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { task.cancel() }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        return try await task.value
    }
}
