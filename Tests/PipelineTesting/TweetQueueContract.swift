import Foundation
import PipelineModel
import Storage
import Testing

/// The semantics every `TweetQueue` must have, as reusable checks.
///
/// An implementation's test target runs every check against fresh queues:
/// ```
/// @Test(arguments: TweetQueueContract.Check.allCases)
/// func contract(_ check: TweetQueueContract.Check) async throws {
///     try await TweetQueueContract.run(check) { clock, maxFailures in MyQueue(...) }
/// }
/// ```
/// Leases are measured by the `ManualClock` handed to the factory, so expiry is tested by
/// advancing it — the implementation must take its notion of "now" from that clock.
public enum TweetQueueContract {
    /// Builds an empty queue that reads time from `clock` and dead-letters a post after
    /// `maxFailures` failed attempts.
    public typealias Factory = @Sendable (_ clock: ManualClock, _ maxFailures: Int) async throws -> any DeadLetterQueue

    /// One property of the contract.
    public enum Check: String, CaseIterable, Sendable, CustomStringConvertible {
        case enqueueIgnoresQueuedDuplicates
        case claimLeasesEachPostOnce
        case concurrentClaimsNeverShareAPost
        case acknowledgeRemoves
        case expiredLeaseIsRedelivered
        case staleLeaseCannotAcknowledgeOrRelease
        case releaseWithoutFailureRedelivers
        case deadLetterAfterMaxFailures
        case statsReportCountsAndLag
        case queueingAnAcknowledgedIDAgainLosesNothing

        public var description: String { rawValue }
    }

    static let lease = Duration.seconds(30)

    /// Runs one check against a fresh queue from `make`.
    public static func run(_ check: Check, make: Factory) async throws {
        let clock = ManualClock()
        let queue = try await make(clock, 3)
        switch check {
        case .enqueueIgnoresQueuedDuplicates: try await enqueueIgnoresQueuedDuplicates(queue)
        case .claimLeasesEachPostOnce: try await claimLeasesEachPostOnce(queue, clock)
        case .concurrentClaimsNeverShareAPost: try await concurrentClaimsNeverShareAPost(queue)
        case .acknowledgeRemoves: try await acknowledgeRemoves(queue, clock)
        case .expiredLeaseIsRedelivered: try await expiredLeaseIsRedelivered(queue, clock)
        case .staleLeaseCannotAcknowledgeOrRelease: try await staleLeaseCannotAcknowledgeOrRelease(queue, clock)
        case .releaseWithoutFailureRedelivers: try await releaseWithoutFailureRedelivers(queue)
        case .deadLetterAfterMaxFailures: try await deadLetterAfterMaxFailures(queue)
        case .statsReportCountsAndLag: try await statsReportCountsAndLag(queue, clock)
        case .queueingAnAcknowledgedIDAgainLosesNothing: try await queueingAnAcknowledgedIDAgainLosesNothing(queue)
        }
    }

    static func enqueueIgnoresQueuedDuplicates(_ queue: any DeadLetterQueue) async throws {
        let first = try await queue.enqueue([TestPosts.post("a"), TestPosts.post("b"), TestPosts.post("c")])
        #expect(first == EnqueueOutcome(accepted: 3, duplicates: 0))
        let second = try await queue.enqueue([TestPosts.post("b"), TestPosts.post("d"), TestPosts.post("d")])
        #expect(second == EnqueueOutcome(accepted: 1, duplicates: 2))
        // A leased post is still queued: enqueueing it again is a duplicate too.
        let leased = try await queue.claim(limit: 10, lease: lease, worker: "w")
        #expect(Set(leased.map(\.post.id)) == ["a", "b", "c", "d"])
        let third = try await queue.enqueue([TestPosts.post("a")])
        #expect(third == EnqueueOutcome(accepted: 0, duplicates: 1))
        let stats = try await queue.stats()
        #expect(stats.pending == 0 && stats.leased == 4)
    }

    static func claimLeasesEachPostOnce(_ queue: any DeadLetterQueue, _ clock: ManualClock) async throws {
        let posts = TestPosts.posts(10)
        _ = try await queue.enqueue(posts)
        // "Up to `limit`": a queue that hands out posts in groups may return fewer, but
        // never none while posts wait, and never more.
        let first = try await queue.claim(limit: 4, lease: lease, worker: "w1")
        #expect((1...4).contains(first.count))
        var rest: [QueueLease] = []
        for worker in 2...11 {
            let more = try await queue.claim(limit: 10, lease: lease, worker: "w\(worker)")
            #expect(more.count <= 10)
            if more.isEmpty { break }
            rest += more
        }
        #expect(try await queue.claim(limit: 10, lease: lease, worker: "w12").isEmpty)
        let ids = (first + rest).map(\.post.id)
        #expect(ids.count == 10)
        #expect(Set(ids) == Set(posts.map(\.id)))
        let byID = Dictionary(uniqueKeysWithValues: posts.map { ($0.id, $0) })
        for lease in first + rest {
            #expect(lease.attempt == 1)
            #expect(lease.post == byID[lease.post.id])
            #expect(abs(lease.expiresAt.timeIntervalSince(clock.now()) - 30) < 0.01)
        }
        #expect(try await queue.claim(limit: 0, lease: lease, worker: "w").isEmpty)
    }

    static func concurrentClaimsNeverShareAPost(_ queue: any DeadLetterQueue) async throws {
        let posts = TestPosts.posts(120)
        _ = try await queue.enqueue(posts)
        let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var mine: [String] = []
                    while true {
                        let leases = try await queue.claim(limit: 7, lease: lease, worker: "w\(worker)")
                        if leases.isEmpty { return mine }
                        mine += leases.map(\.post.id)
                        try await queue.acknowledge(leases)
                    }
                }
            }
            var all: [String] = []
            for try await ids in group { all += ids }
            return all
        }
        #expect(claimed.count == posts.count)
        #expect(Set(claimed) == Set(posts.map(\.id)))
    }

    static func acknowledgeRemoves(_ queue: any DeadLetterQueue, _ clock: ManualClock) async throws {
        _ = try await queue.enqueue(TestPosts.posts(5))
        let leases = try await queue.claim(limit: 3, lease: lease, worker: "w")
        try await queue.acknowledge(leases)
        var stats = try await queue.stats()
        #expect(stats.pending == 2 && stats.leased == 0)
        clock.advance(by: 60)
        let rest = try await queue.claim(limit: 10, lease: lease, worker: "w")
        #expect(Set(rest.map(\.post.id)) == Set(TestPosts.posts(5).map(\.id)).subtracting(leases.map(\.post.id)))
        try await queue.acknowledge(rest)
        clock.advance(by: 60)
        #expect(try await queue.claim(limit: 10, lease: lease, worker: "w").isEmpty)
        stats = try await queue.stats()
        #expect(stats.pending == 0 && stats.leased == 0 && stats.deadLettered == 0)
        #expect(stats.oldestPendingAge == nil)
    }

    static func expiredLeaseIsRedelivered(_ queue: any DeadLetterQueue, _ clock: ManualClock) async throws {
        _ = try await queue.enqueue(TestPosts.posts(3))
        let first = try await queue.claim(limit: 10, lease: lease, worker: "w1")
        #expect(first.count == 3)
        clock.advance(by: 10)
        #expect(try await queue.claim(limit: 10, lease: lease, worker: "w2").isEmpty)
        clock.advance(by: 21)
        let again = try await queue.claim(limit: 10, lease: lease, worker: "w2")
        #expect(Set(again.map(\.post.id)) == Set(first.map(\.post.id)))
        #expect(again.allSatisfy { $0.attempt == 2 })
        #expect(Set(again.map(\.token)).isDisjoint(with: first.map(\.token)))
        // An expiry is not a failure: nothing is dead-lettered however often it happens.
        for _ in 0..<4 {
            clock.advance(by: 31)
            #expect(try await queue.claim(limit: 10, lease: lease, worker: "w3").count == 3)
        }
        #expect(try await queue.stats().deadLettered == 0)
    }

    static func staleLeaseCannotAcknowledgeOrRelease(_ queue: any DeadLetterQueue, _ clock: ManualClock) async throws {
        _ = try await queue.enqueue([TestPosts.post("x")])
        let stale = try await queue.claim(limit: 1, lease: lease, worker: "slow")
        clock.advance(by: 31)
        let current = try await queue.claim(limit: 1, lease: lease, worker: "fast")
        #expect(current.count == 1)
        try await queue.acknowledge(stale)
        try await queue.release(stale, failure: "late")
        try await queue.release(stale, failure: nil)
        var stats = try await queue.stats()
        #expect(stats.leased == 1 && stats.pending == 0 && stats.deadLettered == 0)
        // The stale release must not have put it back in line while the current lease holds.
        #expect(try await queue.claim(limit: 1, lease: lease, worker: "other").isEmpty)
        try await queue.acknowledge(current)
        stats = try await queue.stats()
        #expect(stats.leased == 0 && stats.pending == 0)
    }

    static func releaseWithoutFailureRedelivers(_ queue: any DeadLetterQueue) async throws {
        _ = try await queue.enqueue([TestPosts.post("r")])
        // More releases than the failure limit: without a reason they never dead-letter.
        for attempt in 1...5 {
            let leases = try await queue.claim(limit: 1, lease: lease, worker: "w")
            #expect(leases.map(\.post.id) == ["r"])
            #expect(leases.first?.attempt == attempt)
            try await queue.release(leases, failure: nil)
        }
        let stats = try await queue.stats()
        #expect(stats.pending == 1 && stats.leased == 0 && stats.deadLettered == 0)
    }

    static func deadLetterAfterMaxFailures(_ queue: any DeadLetterQueue) async throws {
        _ = try await queue.enqueue([TestPosts.post("bad"), TestPosts.post("good")])
        var good: [QueueLease] = []
        for failure in 1...3 {
            let leases = try await queue.claim(limit: 2, lease: lease, worker: "w")
            #expect(leases.contains { $0.post.id == "bad" })
            good += leases.filter { $0.post.id == "good" }
            try await queue.release(leases.filter { $0.post.id == "bad" }, failure: "boom \(failure)")
            if failure < 3 { #expect(try await queue.deadLetters(limit: 10).isEmpty) }
        }
        #expect(good.count == 1)
        #expect(try await queue.claim(limit: 2, lease: lease, worker: "w").isEmpty)
        let stats = try await queue.stats()
        #expect(stats.deadLettered == 1 && stats.pending == 0 && stats.leased == 1)
        let letters = try await queue.deadLetters(limit: 10)
        #expect(letters.count == 1)
        #expect(letters.first?.post == TestPosts.post("bad"))
        #expect(letters.first?.reason == "boom 3")
        #expect(letters.first?.failures == 3)
        // Processing continues for the others.
        try await queue.acknowledge(good)
        #expect(try await queue.stats().leased == 0)
    }

    static func statsReportCountsAndLag(_ queue: any DeadLetterQueue, _ clock: ManualClock) async throws {
        var stats = try await queue.stats()
        #expect(stats == QueueStats(pending: 0, leased: 0, deadLettered: 0, oldestPendingAge: nil))
        _ = try await queue.enqueue(TestPosts.posts(3, prefix: "old"))
        clock.advance(by: 5)
        _ = try await queue.enqueue(TestPosts.posts(4, prefix: "new"))
        clock.advance(by: 2)
        stats = try await queue.stats()
        #expect(stats.pending == 7 && stats.leased == 0)
        #expect(abs((stats.oldestPendingAge ?? -1) - 7) < 0.01)
        let leases = try await queue.claim(limit: 2, lease: lease, worker: "w")
        stats = try await queue.stats()
        #expect(stats.pending == 5 && stats.leased == 2)
        try await queue.acknowledge(leases)
        let more = try await queue.claim(limit: 5, lease: lease, worker: "w")
        #expect(more.count == 5)
        stats = try await queue.stats()
        #expect(stats.pending == 0 && stats.leased == 5 && stats.oldestPendingAge == nil)
        // An expired lease counts as waiting again, aged from when it was first queued.
        clock.advance(by: 31)
        stats = try await queue.stats()
        #expect(stats.pending == 5 && stats.leased == 0)
        #expect((stats.oldestPendingAge ?? 0) >= 31)
    }

    /// A post queued again after it was processed (a replay of the same archive) is either
    /// refused as a recent duplicate (a queue that remembers what it queued lately) or
    /// queued and delivered again (the store then refuses it) — never accepted and lost.
    static func queueingAnAcknowledgedIDAgainLosesNothing(_ queue: any DeadLetterQueue) async throws {
        _ = try await queue.enqueue([TestPosts.post("again")])
        try await queue.acknowledge(try await queue.claim(limit: 1, lease: lease, worker: "w"))
        let outcome = try await queue.enqueue([TestPosts.post("again"), TestPosts.post("other")])
        #expect(outcome.accepted + outcome.duplicates == 2)
        #expect(outcome.accepted >= 1)
        let leases = try await queue.claim(limit: 5, lease: lease, worker: "w")
        #expect(leases.count == outcome.accepted)
        #expect(leases.contains { $0.post.id == "other" })
    }
}
