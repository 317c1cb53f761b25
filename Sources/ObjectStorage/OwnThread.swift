import Foundation

/// Runs blocking work on a thread of its own: libcurl's transfers and the hashing of
/// large files never hold one of the few cooperative threads the stream also needs.
enum OwnThread {
    /// The result of `work`, run on a new thread named `name`.
    static func run<T: Sendable>(_ name: String, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.name = name
            thread.start()
        }
    }
}
