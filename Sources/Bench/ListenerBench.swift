import ArgumentParser
import Foundation
import Listener

/// `bench listener`: frame + decode throughput of the listener's read path on a
/// synthetic recorded stream, next to a plain Python JSON-lines loop over the same bytes
/// in the same run.
struct ListenerBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listener",
        abstract: "Stream frame+decode throughput (MB/s, posts/s) vs a plain Python json.loads loop, same data, same run."
    )

    @Option(help: "Posts in the synthetic stream.")
    var posts = 200_000

    @Option(help: "Python for the reference loop.")
    var python = ".venv/bin/python"

    @Option(help: "Timings per side (the best is kept).")
    var repeats = 3

    @Option(help: "Bytes per chunk fed to the framer (as the network delivers them).")
    var chunkSize = 16 * 1024

    func run() throws {
        let body = Self.syntheticStream(posts: posts)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("listener-bench-\(getpid()).jsonl")
        try body.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        var decoded = 0
        var swiftBest = Double.infinity
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            decoded = Self.frameAndDecode(body, chunkSize: chunkSize)
            swiftBest = min(swiftBest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        guard decoded == posts else { throw ValidationError("decoded \(decoded) posts, expected \(posts)") }

        let reference = try runPython(file: file)
        guard reference.posts == posts else { throw ValidationError("Python decoded \(reference.posts) posts, expected \(posts)") }

        let megabytes = Double(body.count) / 1_048_576
        func line(_ name: String, _ seconds: Double) -> String {
            String(format: "%-22@ %8.1f MB/s %10.0f posts/s", name as NSString, megabytes / seconds, Double(posts) / seconds)
        }
        print(String(format: "listener read path: %d posts, %.1f MB, chunks of %d bytes, best of %d", posts, megabytes, chunkSize, repeats))
        print(line("swift frame+decode", swiftBest))
        print(line("python json.loads loop", reference.seconds))
        print(String(format: "ratio (python time / swift time): %.2f×", reference.seconds / swiftBest))
    }

    /// The listener's read loop minus the network: framing, decoding, keyword
    /// resolution, dedupe. Returns the posts produced.
    static func frameAndDecode(_ body: Data, chunkSize: Int) -> Int {
        var framer = LineFramer()
        var processor = MessageProcessor(rules: KeywordResolver(keywordsByRuleID: ["1001": "coffee"]))
        var count = 0
        let now = Date()
        body.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let end = min(offset + chunkSize, raw.count)
                framer.append(UnsafeRawBufferPointer(rebasing: raw[offset..<end])) { frame in
                    if case .posts(let fresh) = processor.process(frame, receivedAt: now) { count += fresh.count }
                }
                offset = end
            }
        }
        return count
    }

    /// A deterministic stream: realistic v2 messages (fields, includes, rules, UTF-8),
    /// a heartbeat every 50 posts.
    static func syntheticStream(posts: Int) -> Data {
        let words = ["coffee", "morning", "great", "terrible", "☕", "café", "love", "hate", "meh", "😀", "really", "the", "a", "is"]
        var state: UInt64 = 42
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        var data = Data()
        data.reserveCapacity(posts * 420)
        for index in 0..<posts {
            let text = (0..<(8 + next() % 20)).map { _ in words[next() % words.count] }.joined(separator: " ")
            let author = 1000 + next() % 5000
            let line = #"{"data":{"edit_history_tweet_ids":["\#(1_800_000_000_000_000_000 + index)"],"author_id":"\#(author)","#
                + #""created_at":"2026-11-29T20:\#(String(format: "%02d", index / 60 % 60)):\#(String(format: "%02d", index % 60)).000Z","#
                + #""id":"\#(1_800_000_000_000_000_000 + index)","lang":"en","text":"\#(text)"},"#
                + #""includes":{"users":[{"id":"\#(author)","name":"User \#(author)","username":"user\#(author)"}]},"#
                + #""matching_rules":[{"id":"1001","tag":"sentiment-listener:coffee"}]}"# + "\r\n"
            data.append(contentsOf: line.utf8)
            if index % 50 == 49 { data.append(contentsOf: [13, 10]) }
        }
        return data
    }

    private func runPython(file: URL) throws -> (seconds: Double, posts: Int) {
        let script = """
        import json, sys, time
        path, repeats = sys.argv[1], int(sys.argv[2])
        best, count = float("inf"), 0
        for _ in range(repeats):
            start = time.perf_counter()
            count = 0
            with open(path, "rb") as handle:
                for line in handle:
                    line = line.strip()
                    if not line:
                        continue
                    message = json.loads(line)
                    data = message.get("data")
                    if data and data.get("id"):
                        count += 1
            best = min(best, time.perf_counter() - start)
        print(best, count)
        """
        let process = Process()
        let interpreter = FileManager.default.isExecutableFile(atPath: python) ? python : "/usr/bin/python3"
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = ["-c", script, file.path, String(repeats)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let parts = String(decoding: data, as: UTF8.self).split(separator: " ")
        guard process.terminationStatus == 0, parts.count == 2, let seconds = Double(parts[0]),
              let count = Int(parts[1].trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw ValidationError("the Python reference loop failed") }
        return (seconds, count)
    }
}
