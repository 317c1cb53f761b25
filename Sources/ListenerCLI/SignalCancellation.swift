import Dispatch
import Foundation

/// Runs an operation and cancels it on SIGINT or SIGTERM, so the listener stops cleanly:
/// the connection aborts, buffered posts are flushed, the archive is closed.
enum SignalCancellation {
    static func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
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
