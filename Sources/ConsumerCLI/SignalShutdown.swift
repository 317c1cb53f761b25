import Dispatch
import Foundation

/// Turns SIGTERM and SIGINT into task cancellation, the pool's graceful shutdown.
enum SignalShutdown {
    /// Runs `body` until it returns or a signal cancels it.
    static func run(_ body: @escaping @Sendable () async throws -> Void) async throws {
        let task = Task { try await body() }
        let sources = [SIGTERM, SIGINT].map { number in
            // The default action would kill the process before in-flight batches finish.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { task.cancel() }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        try await task.value
    }
}
