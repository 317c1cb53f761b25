import Foundation
import PipelineModel
import Storage
import Synchronization

/// Errors the test stores raise.
struct TestStoreError: Error, CustomStringConvertible {
    var description: String
}

/// A real in-memory store that rejects every batch holding a post whose text contains
/// "poison", as a store rejecting a malformed document would.
struct PoisonRejectingStore: ForwardingSentimentStore {
    let inner = InMemorySentimentStore()
    var base: any SentimentStore { inner }

    func record(_ posts: [ScoredPost]) async throws -> RecordOutcome {
        if let bad = posts.first(where: { $0.post.text.contains("poison") }) {
            throw TestStoreError(description: "document \(bad.id) rejected")
        }
        return try await inner.record(posts)
    }
}

/// A real in-memory store behind a switch: while down, every call fails like an
/// unreachable server.
final class SwitchableStore: ForwardingSentimentStore, Sendable {
    let inner = InMemorySentimentStore()
    var base: any SentimentStore { inner }
    private let down = Mutex(true)

    func setDown(_ value: Bool) { down.withLock { $0 = value } }

    private func check() throws {
        if down.withLock({ $0 }) { throw TestStoreError(description: "connection refused") }
    }

    func record(_ posts: [ScoredPost]) async throws -> RecordOutcome {
        try check()
        return try await inner.record(posts)
    }
    func ping() async throws { try check() }
}

/// A real in-memory store whose `record` announces itself and then waits for a gate,
/// so a test can act while a batch is in flight.
struct GatedStore: ForwardingSentimentStore {
    let inner = InMemorySentimentStore()
    var base: any SentimentStore { inner }
    let entered: AsyncStream<Void>.Continuation
    let gate: AsyncStream<Void>

    func record(_ posts: [ScoredPost]) async throws -> RecordOutcome {
        entered.yield()
        for await _ in gate { break }
        return try await inner.record(posts)
    }
}
