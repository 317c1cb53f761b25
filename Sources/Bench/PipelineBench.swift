import ArgumentParser
import Consumer
import Foundation
import Listener
import Logging
import PipelineModel
import Sentiment
import Storage
import StreamRules

/// `bench pipeline`: the whole one-process path on the embedded default — archive lines
/// decoded by the listener's replayer → `InMemoryTweetQueue` → `ConsumerPool` (scoring)
/// → `InMemorySentimentStore` (aggregates) — over the demo feed repeated to a few hundred
/// thousand posts, at full speed. Prints posts/s next to the anchor of a published
/// Kafka+Spark tweet pipeline, and received → visible latency percentiles.
struct PipelineBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "All-in-one throughput (decode → score → aggregate) in memory, and received→visible latency.")

    @Option(help: "Archive of stream lines (made by scripts/demo or `stream-sim make-feed`).")
    var feed = ".cache/demo-feed.jsonl"

    @Option(help: "Posts to push through (the feed is repeated with fresh ids).")
    var posts = 200_000

    @Option(help: "Queue capacity (posts held before the replayer waits; bounds received → visible latency at full speed).")
    var queueCapacity = 50_000

    @Option(help: "Consumer workers.")
    var workers = 2

    @Option(help: "Posts per claimed batch.")
    var batch = 500

    @Option(help: "Sentiment engine.")
    var engine = EngineKind.lexicon

    /// User + system CPU time of this process so far, all threads.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Throughput of a published Kafka+Spark tweet pipeline on 3 VMs (docs/anchors).
    static let anchor = 727.0

    func run() async throws {
        guard let original = try? String(contentsOfFile: feed, encoding: .utf8) else {
            FileHandle.standardError.write(Data("bench pipeline: cannot read \(feed) (run scripts/demo or stream-sim make-feed)\n".utf8))
            throw ExitCode.failure
        }
        let lines = original.split(separator: "\n", omittingEmptySubsequences: true)
        guard !lines.isEmpty, posts > 0, workers > 0, batch > 0, queueCapacity > 0 else {
            FileHandle.standardError.write(Data("bench pipeline: empty feed or non-positive option\n".utf8))
            throw ExitCode.failure
        }
        // The repetitions get fresh post ids, or the replayer's deduplicator would drop them.
        // A decimal id stays decimal, as X ids are ("9", the round in six digits, the id:
        // unique per round and line), so dedupe takes the path real ids take.
        let repeated = FileManager.default.temporaryDirectory.appendingPathComponent("bench-pipeline-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: repeated) }
        let idPrefix = Array(#"{"data":{"id":""#.utf8)
        let lineBytes = lines.map { Array($0.utf8) }
        var text: [UInt8] = []
        text.reserveCapacity(original.utf8.count * (posts / lines.count + 1))
        var written = 0
        var round = 0
        while written < posts {
            let padded = Array(String(round).utf8)
            let roundDigits = Array(repeating: UInt8(ascii: "0"), count: max(0, 6 - padded.count)) + padded
            for line in lineBytes where written < posts {
                if round > 0, line.starts(with: idPrefix) {
                    let rest = line[idPrefix.count...]
                    let digits = rest.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
                    let decimal = digits > 0 && rest.dropFirst(digits).first == UInt8(ascii: "\"") && round < 1_000_000
                    text += idPrefix
                    text += decimal ? [UInt8(ascii: "9")] + roundDigits : Array("\(round)-".utf8)
                    text += rest
                } else {
                    text += line
                }
                text.append(UInt8(ascii: "\n"))
                written += 1
            }
            round += 1
        }
        try Data(text).write(to: repeated)
        text = []

        let ownRules = try RuleMatcher(rules: ["coffee", "music", "weekend"].map { TaggedRule.keyword($0) })
        let replayer = Replayer(speed: .maximum, rules: .replay(ownRules: ownRules))
        // The decode stage alone (archive lines → posts, one thread), for scale.
        let decodeStart = ContinuousClock.now
        let decodedOnly = try await replayer.run(files: [repeated], clock: ContinuousClock(), submit: { _ in })
        let decodeRate = Double(decodedOnly.posts) / ConsumerBench.seconds(ContinuousClock.now - decodeStart)

        let scorer = try engine.makeEngine()
        let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let queue = InMemoryTweetQueue(configuration: .init(capacity: queueCapacity))
        let store = InMemorySentimentStore(configuration: .init(changeBuffer: 100_000))
        let pool = ConsumerPool(queue: queue, store: store, engine: scorer,
                                configuration: ConsumerConfiguration(workers: workers, batchSize: batch,
                                                                     idleBackoff: .microseconds(200),
                                                                     maxIdleBackoff: .milliseconds(2),
                                                                     workerName: "bench"),
                                logger: quiet)

        // Every post is stamped when the replayer hands it over ("received") and timed
        // again when the store's change feed shows it ("visible").
        let changes = try await store.changes()
        let expected = written
        let watcher = Task { () -> [Double] in
            var latencies: [Double] = []
            latencies.reserveCapacity(posts)
            for try await change in changes {
                guard case .posts(let recorded) = change else { continue }
                let now = Date()
                for post in recorded { latencies.append(now.timeIntervalSince(post.post.receivedAt)) }
                if latencies.count >= expected { break }
            }
            return latencies
        }
        let consumers = Task { try await pool.run() }
        let start = ContinuousClock.now
        let cpuStart = Self.processCPUSeconds()
        let report = try await replayer.run(files: [repeated], clock: ContinuousClock(), submit: { decoded in
            let received = Date()
            let stamped = decoded.map { post -> Post in
                var post = post
                post.receivedAt = received
                return post
            }
            _ = try? await queue.enqueue(stamped)
        })
        while pool.progress.recorded < report.posts {
            try await Task.sleep(for: .milliseconds(1))
        }
        let elapsed = ConsumerBench.seconds(ContinuousClock.now - start)
        let cpu = Self.processCPUSeconds() - cpuStart
        consumers.cancel()
        _ = try? await consumers.value
        // Every change is buffered by now; the watcher stops at the last post, or is
        // stopped if some never show (it then reports what it saw).
        let stopWatcher = Task {
            try await Task.sleep(for: .seconds(10))
            watcher.cancel()
        }
        let latencies = try await watcher.value.sorted()
        stopWatcher.cancel()
        let rate = Double(report.posts) / elapsed
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
        print("bench pipeline: \(report.posts) posts (\(lines.count)-line feed ×\(round)), engine \(scorer.name), \(workers) workers, batch \(batch), queue capacity \(queueCapacity), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print(String(format: "decode → score → aggregate:  %10.0f posts/s   (Kafka+Spark anchor %.0f/s: ×%.0f; goal ≥ 100000: %@)",
                     rate, Self.anchor, rate / Self.anchor, rate >= 100_000 ? "met" : "not met"))
        print(String(format: "decode alone (replayer, 1 thread): %10.0f posts/s", decodeRate))
        // CPU time is steadier than wall time on a shared machine: it shows the work per
        // post whatever else runs, and 2 cores / (CPU per post) bounds the rate.
        print(String(format: "CPU of the whole path:  %.2f µs per post (all threads; %.0f posts per CPU-second)",
                     cpu / Double(report.posts) * 1e6, Double(report.posts) / cpu))
        print(String(format: "received → visible latency:  p50 %.3f s  p99 %.3f s  max %.3f s  (goal p99 ≤ 1 s: %@; %d samples)",
                     percentile(0.5), percentile(0.99), latencies.last ?? .nan, percentile(0.99) <= 1 ? "met" : "not met",
                     latencies.count))
    }
}
