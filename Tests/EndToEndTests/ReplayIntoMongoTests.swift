import Foundation
import MongoKit
import MongoStorage
import PipelineTesting
import Testing

/// `listener --replay FILE --speed max --mongo URI`, the way an analyst runs it to evaluate
/// on recorded data, followed by `consumer`: every post of the file is recorded exactly
/// once — with one 600 KB post among them (a 1.2 MB spill line once wedged the spill
/// file), and across a SIGTERM in the middle of the replay and a restart.
@Suite(.serialized, .timeLimit(.minutes(10))) struct ReplayIntoMongoTests {
    static let postCount = 20_000
    static let bigPostIndex = 9_999

    /// Posts of the first part, created at one moment; the rest a day later.
    static let firstPart = 5_000

    /// 20,000 posts for `coffee`, one of them with 600,000 `/` in its text. The first
    /// 5,000 are created at one moment and the rest a day later, so a paced replay hands
    /// off exactly the first part and then waits: a signal during that wait is a stop in
    /// the middle of the replay, whatever the machine's speed.
    static func feed(in folder: URL) throws -> (url: URL, ids: Set<String>) {
        let url = folder.appendingPathComponent("replay.jsonl")
        var ids = Set<String>()
        var text = ""
        let slashes = String(repeating: "/", count: 600_000)
        for index in 0..<postCount {
            let id = String(7_000_000 + index)
            ids.insert(id)
            let body = index == bigPostIndex ? "coffee \(slashes)" : "coffee number \(index) is great"
            let day = index < firstPart ? "01" : "02"
            text += #"{"data":{"id":"\#(id)","text":"\#(body)","created_at":"2026-01-\#(day)T00:00:00.000Z","lang":"en"}}"#
            text += "\n"
        }
        try Data(text.utf8).write(to: url)
        return (url, ids)
    }

    func listener(_ feed: URL, uri: String, database: String, state: URL, speed: String = "max") throws -> ChildProcess {
        try ChildProcess(TestEnvironment.executable("listener"), [
            "--replay", feed.path, "--speed", speed, "--max-gap", "24h", "--keyword", "coffee",
            "--mongo", uri, "--database", database, "--state-dir", state.path,
        ])
    }

    /// A figure of the listener's final totals line (`name=N`), -1 when absent.
    static func total(_ name: String, in log: String) -> Int {
        guard let line = log.split(separator: "\n").last(where: { $0.contains("replay") && $0.contains("enqueued=") }),
              let field = line.split(separator: " ").first(where: { $0.hasPrefix(name + "=") }) else { return -1 }
        return Int(field.dropFirst(name.count + 1)) ?? -1
    }

    /// Runs `consumer` until the inbox is empty and `expected` posts are stored, stops it
    /// with SIGTERM and checks what it recorded.
    func consumeAndCheck(uri: String, probe: InboxProbe, ids: Set<String>) async throws {
        let consumer = try ChildProcess(TestEnvironment.executable("consumer"), [
            "--mongo", uri, "--database", probe.databaseName, "--workers", "2",
        ])
        let tweets = probe.database.collection("tweets")
        let deadline = ContinuousClock.now + .seconds(300)
        var stored = 0
        var waiting = -1
        while ContinuousClock.now < deadline, consumer.isRunning {
            stored = try await tweets.count()
            waiting = try await probe.count()
            if stored >= ids.count && waiting == 0 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(await consumer.waitUntilCatching(SIGTERM))
        consumer.terminate()
        let run = await consumer.waitForExit()
        #expect(run.status == 0 && consumer.exitedNormally, "\(run.stderr.suffix(800))")
        #expect(stored == ids.count, "every post recorded: \(run.stderr.suffix(800))")
        #expect(waiting == 0, "the inbox is empty")
        let recorded = try await tweets.find([:], options: FindOptions(projection: ["_id": 1])).compactMap { $0["_id"]?.stringValue }
        #expect(recorded.count == ids.count)
        #expect(Set(recorded) == ids, "exactly the posts of the file")
        let store = MongoSentimentStore(database: probe.database)
        let coffee = try await store.keywords().first { $0.keyword == "coffee" }
        #expect(coffee?.totalCount == ids.count, "the aggregate counts each post once")
        let big = try await tweets.find(["_id": .string(String(7_000_000 + Self.bigPostIndex))])
        #expect(big.first?["text"]?.stringValue?.utf8.count == 600_007, "the 600 KB post arrives whole")
    }

    /// What each test starts from: the MongoDB URI, the feed and its ids, a fresh
    /// database, and a state folder for the listener.
    static func prepare() throws -> (uri: String, feed: URL, ids: Set<String>, probe: InboxProbe, state: URL) {
        let uri = try TestEnvironment.requireMongoURI()
        let folder = try TestFeed.folder()
        let (feed, ids) = try feed(in: folder)
        return (uri, feed, ids, try InboxProbe(uri: uri, prefix: "replay_mongo"), folder.appendingPathComponent("state"))
    }

    @Test func replayAtFullSpeedIntoMongoLosesNothing() async throws {
        let (uri, feed, ids, probe, state) = try Self.prepare()

        let run = await try listener(feed, uri: uri, database: probe.databaseName, state: state).waitForExit()
        #expect(run.status == 0, "\(run.stderr.suffix(800))")
        #expect(Self.total("enqueued", in: run.stderr) == Self.postCount, "\(run.stderr.suffix(800))")
        #expect(!run.stderr.contains("spill file"), "no spill warning when nothing waits: \(run.stderr.suffix(500))")
        #expect(try await probe.count() == Self.postCount, "all queued when the listener exits")
        try await consumeAndCheck(uri: uri, probe: probe, ids: ids)
        // Awaited, not left running: a drop blocks the test server's writes while it lasts
        // (~25 s for 20k posts on the Python server) and stalled the next test's consumer.
        await probe.drop()
    }

    @Test func sigtermMidReplayThenRestartLosesAndCountsTwiceNothing() async throws {
        let (uri, feed, ids, probe, state) = try Self.prepare()

        // At 100× the day between the parts is a wait of 864 s (`--max-gap 24h` keeps it):
        // the first part is queued, then the replay sleeps until the signal.
        let first = try listener(feed, uri: uri, database: probe.databaseName, state: state, speed: "100")
        let queued = try await probe.waitForCount(Self.firstPart, timeout: .seconds(300), while: { first.isRunning })
        try #require(first.isRunning, "the replay is still running when signalled (queued \(queued))")
        try #require(queued == Self.firstPart)
        first.terminate()
        let stopped = await first.waitForExit()
        #expect(stopped.status == 0 && first.exitedNormally, "\(stopped.stderr.suffix(800))")
        #expect(stopped.stderr.contains("replay stopped before the end of its files"), "\(stopped.stderr.suffix(500))")
        let firstEnqueued = Self.total("enqueued", in: stopped.stderr)
        let firstRead = Self.total("read", in: stopped.stderr)
        // The post it was waiting for had been read: it is queued too, not dropped.
        #expect(firstRead == Self.firstPart + 1, "\(stopped.stderr.suffix(500))")
        #expect(firstEnqueued == firstRead, "every post it read is queued before it exits")
        #expect(try await probe.count() == firstEnqueued)

        let second = await try listener(feed, uri: uri, database: probe.databaseName, state: state).waitForExit()
        #expect(second.status == 0, "\(second.stderr.suffix(800))")
        // The restarted process reads the file again from the start. It does not know what
        // the first one queued, so the first part is queued a second time; the store
        // counts each post once (checked below).
        let secondEnqueued = Self.total("enqueued", in: second.stderr)
        #expect(secondEnqueued + Self.total("queue_duplicates", in: second.stderr) == Self.postCount,
                "the restart handles every post of the file: \(second.stderr.suffix(500))")
        #expect(try await probe.count() == firstEnqueued + secondEnqueued)
        #expect(Set(try await probe.ids()) == ids)
        try await consumeAndCheck(uri: uri, probe: probe, ids: ids)
        // Awaited, not left running: a drop blocks the test server's writes while it lasts
        // (~25 s for 20k posts on the Python server) and stalled the next test's consumer.
        await probe.drop()
    }
}
