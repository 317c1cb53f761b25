import ArgumentParser
import Consumer
import Foundation
import Logging
import PipelineModel
import Sentiment
import Storage

/// `bench retention`: the embedded queue → consumer pool (scoring) → in-memory store of
/// `pipeline`, fed synthetic posts at full speed whose timestamps span weeks, with the
/// store's time retention on. Prints posts/s and the process's peak RSS (VmHWM) against
/// the 300 MB goal: without retention the store grows by every post it records.
struct RetentionBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Peak RSS of the embedded pipeline over N posts spanning weeks, with store retention (goal < 300 MB).")

    @Option(help: "Posts to push through.")
    var posts = 2_000_000

    @Option(help: "Seconds between consecutive posts' timestamps (3 → 2M posts span 69 days, a week holds ~200k).")
    var interval = 3.0

    @Option(help: "Store retention in days (0 keeps everything).")
    var retentionDays = 7.0

    @Option(help: "Distinct keywords the posts rotate through.")
    var keywords = 5

    @Option(help: "Queue capacity.")
    var queueCapacity = 50_000

    @Option(help: "Consumer workers.")
    var workers = 2

    @Option(help: "Posts per enqueue and per claimed batch.")
    var batch = 500

    @Option(help: "Sentiment engine (pipeline's default is hybrid).")
    var engine = EngineKind.hybrid

    func validate() throws {
        guard posts > 0, interval >= 0, retentionDays >= 0, keywords > 0, queueCapacity > 0, workers > 0, batch > 0 else {
            throw ValidationError("every option must be positive (interval and retention-days may be 0)")
        }
    }

    /// Peak resident set size of this process in bytes (Linux; nil elsewhere).
    static func peakRSS() -> Int? {
        ListenerMemoryBench.peakRSSKiB(pid: getpid()).map { $0 * 1024 }
    }

    /// Post texts of tweet length, varied so the scorer does real work.
    static let sentences = [
        "Honestly the best coffee I have had all week, the barista remembered my name and it made my morning",
        "This update broke everything again and support keeps sending the same useless canned answer, so tired",
        "Not sure how I feel about the new album, a couple of great tracks but the rest sounds rushed",
        "The weekend market was packed, great music, terrible parking, would still go back next Saturday",
        "Train delayed forty minutes with no announcement, missed the meeting, what a disaster of a commute",
        "Watching the sunrise from the hill today was absolutely stunning, worth waking up at five for it",
        "Meh. Another Monday, another pile of email. At least lunch was decent and the weather held up",
        "Can't believe how rude that waiter was, we left without dessert and will not be coming back",
    ]

    func run() async throws {
        let scorer = try engine.makeEngine()
        let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let retention: Duration? = retentionDays == 0 ? nil : .milliseconds(Int64(retentionDays * 86_400_000))
        let queue = InMemoryTweetQueue(configuration: .init(capacity: queueCapacity))
        let store = InMemorySentimentStore(configuration: .init(retention: retention))
        let pool = ConsumerPool(queue: queue, store: store, engine: scorer,
                                configuration: ConsumerConfiguration(workers: workers, batchSize: batch,
                                                                     idleBackoff: .microseconds(200),
                                                                     maxIdleBackoff: .milliseconds(2),
                                                                     workerName: "bench"),
                                logger: quiet)
        let keywordNames = (0..<keywords).map { "keyword\($0)" }
        // The last post is stamped now, the first `posts × interval` earlier: the store's
        // horizon then follows post time, as in a replay of an archive.
        let first = Date().addingTimeInterval(-Double(posts) * interval)
        let baseline = Self.peakRSS() ?? 0

        let consumers = Task { try await pool.run() }
        let start = ContinuousClock.now
        var next = 0
        while next < posts {
            let count = min(batch, posts - next)
            let chunk = (next..<(next + count)).map { index -> Post in
                let time = first.addingTimeInterval(Double(index) * interval)
                return Post(id: String(1_800_000_000_000_000_000 + index),
                            text: "\(Self.sentences[index % Self.sentences.count]) #\(index % 997)",
                            keywords: [keywordNames[index % keywords]], authorID: String(index % 50_000),
                            authorUsername: "user\(index % 50_000)", lang: "en", createdAt: time, receivedAt: time)
            }
            _ = try await queue.enqueue(chunk)
            next += count
        }
        while pool.progress.recorded < posts {
            try await Task.sleep(for: .milliseconds(5))
        }
        let elapsed = ConsumerBench.seconds(ContinuousClock.now - start)
        consumers.cancel()
        _ = try? await consumers.value
        let peak = Self.peakRSS()

        let counted = try await store.keywords().reduce(0) { $0 + $1.totalCount }
        let megabytes = { (bytes: Int) in Double(bytes) / 1_048_576 }
        print("bench retention: \(posts) posts, one every \(interval) s (\(String(format: "%.0f", Double(posts) * interval / 86_400)) days), "
              + "retention \(retention.map { _ in "\(retentionDays) days" } ?? "off"), engine \(scorer.name), \(workers) workers, "
              + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
        print(String(format: "throughput: %.0f posts/s (%.1f s)", Double(posts) / elapsed, elapsed))
        print("store: \(counted) posts counted in keyword totals")
        if let peak {
            print(String(format: "peak RSS: %.0f MB (%.0f MB before the run; goal < 300 MB: %@)",
                         megabytes(peak), megabytes(baseline), peak < 300 * 1_048_576 ? "met" : "not met"))
        } else {
            print("peak RSS: unavailable (no /proc/self/status)")
        }
        if counted != posts { throw ValidationError("keyword totals count \(counted) posts, expected \(posts)") }
    }
}
