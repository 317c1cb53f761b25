import Foundation
import PipelineModel
import Storage
import PipelineTesting
import Testing

/// What only the in-memory queue promises: a bound with backpressure.
@Suite struct InMemoryTweetQueueTests {
    @Test func enqueueWaitsWhileFullAndResumesWhenSpaceFrees() async throws {
        let queue = InMemoryTweetQueue(configuration: .init(capacity: 3))
        #expect(try await queue.enqueue(TestPosts.posts(2, prefix: "a")).accepted == 2)
        let blocked = Task { try await queue.enqueue(TestPosts.posts(3, prefix: "b")) }
        // The producer can only have placed one post: the queue holds its capacity.
        var stats = try await queue.stats()
        while stats.pending < 3 {
            await Task.yield()
            stats = try await queue.stats()
        }
        #expect(stats.pending == 3)
        let leases = try await queue.claim(limit: 3, lease: .seconds(30), worker: "w")
        #expect(leases.count == 3)
        #expect(try await queue.enqueue([]).accepted == 0)
        try await queue.acknowledge(leases)
        let outcome = try await blocked.value
        #expect(outcome == EnqueueOutcome(accepted: 3, duplicates: 0))
        stats = try await queue.stats()
        #expect(stats.pending == 2 && stats.leased == 0)
    }

    @Test func duplicatesInOneEnqueueKeepTheFirstPost() async throws {
        let queue = InMemoryTweetQueue()
        let first = TestPosts.post("same")
        var second = first
        second.text = "a later copy"
        #expect(try await queue.enqueue([first, second, TestPosts.post("other")]) == EnqueueOutcome(accepted: 2, duplicates: 1))
        let leases = try await queue.claim(limit: 5, lease: .seconds(30), worker: "w")
        #expect(leases.map(\.post) == [first, TestPosts.post("other")])
    }

    @Test func acknowledgingInterleavedLeasesOfSeveralClaimsSettlesThemAll() async throws {
        let queue = InMemoryTweetQueue(configuration: .init(capacity: 4))
        _ = try await queue.enqueue(TestPosts.posts(4, prefix: "a"))
        let one = try await queue.claim(limit: 2, lease: .seconds(30), worker: "w1")
        let two = try await queue.claim(limit: 2, lease: .seconds(30), worker: "w2")
        let stale = QueueLease(post: one[0].post, attempt: 1, token: two[0].token, expiresAt: one[0].expiresAt)
        try await queue.acknowledge([one[0], two[0], stale, one[1], two[1], one[0]])
        let stats = try await queue.stats()
        #expect(stats.pending == 0 && stats.leased == 0)
        // Space is free again: a full batch goes in without waiting.
        #expect(try await queue.enqueue(TestPosts.posts(4, prefix: "b")).accepted == 4)
    }

    @Test func aFullQueueStillCountsDuplicatesWithoutWaiting() async throws {
        let queue = InMemoryTweetQueue(configuration: .init(capacity: 2))
        _ = try await queue.enqueue(TestPosts.posts(2))
        #expect(try await queue.enqueue(TestPosts.posts(2)) == EnqueueOutcome(accepted: 0, duplicates: 2))
    }

    @Test func cancellingAWaitingProducerThrows() async throws {
        let queue = InMemoryTweetQueue(configuration: .init(capacity: 1))
        _ = try await queue.enqueue([TestPosts.post("only")])
        let blocked = Task { try await queue.enqueue([TestPosts.post("more")]) }
        blocked.cancel()
        await #expect(throws: CancellationError.self) { try await blocked.value }
        #expect(try await queue.stats().pending == 1)
    }

    @Test func deadLettersAreNewestFirstAndBounded() async throws {
        let queue = InMemoryTweetQueue(configuration: .init(maxFailures: 1, deadLetterRetention: 2))
        _ = try await queue.enqueue(TestPosts.posts(3))
        for _ in 0..<3 {
            let leases = try await queue.claim(limit: 1, lease: .seconds(30), worker: "w")
            try await queue.release(leases, failure: "bad \(leases[0].post.id)")
        }
        let letters = try await queue.deadLetters(limit: 10)
        #expect(letters.map(\.reason) == ["bad p2", "bad p1"])
        #expect(try await queue.stats().deadLettered == 3)
    }
}
