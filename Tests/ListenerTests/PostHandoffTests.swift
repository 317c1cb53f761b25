import Foundation
import Logging
import PipelineModel
import Storage
import Testing
@testable import Listener

/// A tiny in-memory `TweetQueue` for the hand-off tests: records what it accepts,
/// dedupes by id like the real queue, and can be switched to fail (MongoDB down).
actor RecordingQueue: TweetQueue {
    private(set) var accepted: [Post] = []
    private var ids = Set<String>()
    var failing = false
    private(set) var calls = 0

    func setFailing(_ value: Bool) { failing = value }

    func enqueue(_ posts: [Post]) async throws -> EnqueueOutcome {
        calls += 1
        if failing { throw QueueDown() }
        var fresh = 0
        for post in posts where ids.insert(post.id).inserted {
            accepted.append(post)
            fresh += 1
        }
        return EnqueueOutcome(accepted: fresh, duplicates: posts.count - fresh)
    }

    func claim(limit: Int, lease: Duration, worker: String) async throws -> [QueueLease] { [] }
    func acknowledge(_ leases: [QueueLease]) async throws {}
    func release(_ leases: [QueueLease], failure: String?) async throws {}
    func stats() async throws -> QueueStats { QueueStats(pending: accepted.count, leased: 0, deadLettered: 0, oldestPendingAge: nil) }

    struct QueueDown: Error {}
}

func makePosts(_ range: ClosedRange<Int>) -> [Post] {
    range.map { Post(id: "\($0)", text: "post \($0) é😀", keywords: ["k"], receivedAt: Date(timeIntervalSince1970: Double($0))) }
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("listener-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct PostHandoffTests {
    var configuration: PostHandoff.Configuration {
        var configuration = PostHandoff.Configuration()
        configuration.batchSize = 7
        configuration.maximumBuffered = 20
        configuration.retryInterval = .zero
        return configuration
    }

    @Test func postsReachTheQueueInBatchesAndOrder() async throws {
        let queue = RecordingQueue()
        let spill = try SpillFile(url: try temporaryDirectory().appendingPathComponent("spill.jsonl"))
        let handoff = PostHandoff(queue: queue, spill: spill, configuration: configuration, logger: Logger(label: "test"))
        await handoff.submit(makePosts(1...10))
        await handoff.submit(makePosts(11...15))
        #expect(await handoff.flush())
        #expect(await queue.accepted == makePosts(1...15))
        #expect(await queue.calls == 3, "15 posts in batches of 7")
        #expect(await handoff.totals.spilled == 0)
    }

    @Test func failingQueueSpillsAndDrainsExactlyOnceWhenBack() async throws {
        let queue = RecordingQueue()
        await queue.setFailing(true)
        let spill = try SpillFile(url: try temporaryDirectory().appendingPathComponent("spill.jsonl"))
        let handoff = PostHandoff(queue: queue, spill: spill, configuration: configuration, logger: Logger(label: "test"))
        await handoff.submit(makePosts(1...10))
        #expect(await handoff.flush() == false)
        await handoff.submit(makePosts(11...50))   // behind the spill, straight to disk
        #expect(await handoff.flush() == false)
        #expect(await queue.accepted.isEmpty)
        #expect(await handoff.isDrained == false)

        await queue.setFailing(false)
        await handoff.submit(makePosts(51...55))
        #expect(await handoff.flush())
        #expect(await queue.accepted.map(\.id) == makePosts(1...55).map(\.id), "nothing lost, nothing twice, in order")
        #expect(await queue.accepted == makePosts(1...55), "posts survive the spill file unchanged")
        #expect(await handoff.isDrained)
    }

    @Test func slowQueueOverflowsToDiskInsteadOfMemory() async throws {
        let queue = RecordingQueue()
        await queue.setFailing(true)
        let spill = try SpillFile(url: try temporaryDirectory().appendingPathComponent("spill.jsonl"))
        let handoff = PostHandoff(queue: queue, spill: spill, configuration: configuration, logger: Logger(label: "test"))
        // No flush at all (the flusher is stuck in a slow enqueue): the buffer must not
        // grow past maximumBuffered.
        for index in 0..<10 { await handoff.submit(makePosts((index * 10 + 1)...(index * 10 + 10))) }
        #expect(await handoff.totals.spilled >= 80)
        await queue.setFailing(false)
        #expect(await handoff.flush())
        #expect(Set(await queue.accepted.map(\.id)) == Set(makePosts(1...100).map(\.id)))
        #expect(await queue.accepted.count == 100)
    }

    @Test func spillLeftByAnEarlierRunIsDrainedOnRestart() async throws {
        let url = try temporaryDirectory().appendingPathComponent("spill.jsonl")
        do {
            let down = RecordingQueue()
            await down.setFailing(true)
            let handoff = PostHandoff(queue: down, spill: try SpillFile(url: url), configuration: configuration, logger: Logger(label: "test"))
            await handoff.submit(makePosts(1...30))
            _ = await handoff.flush()
        }
        let queue = RecordingQueue()
        let handoff = PostHandoff(queue: queue, spill: try SpillFile(url: url), configuration: configuration, logger: Logger(label: "test"))
        #expect(await handoff.isDrained == false)
        #expect(await handoff.flush())
        #expect(await queue.accepted == makePosts(1...30))
    }

    @Test func partlyDrainedSpillResumesAtItsOffset() throws {
        let url = try temporaryDirectory().appendingPathComponent("spill.jsonl")
        let first = try SpillFile(url: url)
        try first.append(makePosts(1...10))
        let (batch, bytes) = try first.peek(limit: 4)
        #expect(batch == makePosts(1...4))
        try first.commit(consumedBytes: bytes)
        let reopened = try SpillFile(url: url)
        #expect(try reopened.peek(limit: 100).posts == makePosts(5...10))
    }

    @Test func tornLastLineIsSkippedAndCounted() throws {
        let url = try temporaryDirectory().appendingPathComponent("spill.jsonl")
        let spill = try SpillFile(url: url)
        try spill.append(makePosts(1...2))
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"id":"3","te"#.utf8))
        try handle.close()
        let reopened = try SpillFile(url: url)
        let (posts, bytes) = try reopened.peek(limit: 10)
        #expect(posts == makePosts(1...2))
        try reopened.commit(consumedBytes: bytes)
        let (rest, restBytes) = try reopened.peek(limit: 10)
        #expect(rest.isEmpty)
        try reopened.commit(consumedBytes: restBytes)
        #expect(reopened.corruptLines == 1)
        #expect(!reopened.hasPending)
    }
}
