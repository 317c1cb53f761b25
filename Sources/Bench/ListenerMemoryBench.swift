import PipelineModel
import ArgumentParser
import Foundation

/// `bench listener-memory`: the real `listener` executable receives N posts from
/// `stream-sim --speed max` while its MongoDB queue is stalled (a socket that accepts
/// TCP connections but never answers), so every post goes through the hand-off to the
/// spill file. Prints the listener's peak RSS (VmHWM) against the 64 MB goal and checks
/// that nothing was dropped: distinct posts received == enqueued + spilled.
struct ListenerMemoryBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listener-memory",
        abstract: "Listener peak RSS while N posts arrive with the queue stalled (goal ≤ 64 MB, nothing dropped)."
    )

    @Option(help: "Posts to stream.")
    var posts = 1_000_000

    @Option(help: "Distinct posts in the feed; stream-sim loops it with fresh ids.")
    var feedPosts = 10_000

    @Option(help: "Folder of the built listener and stream-sim (default: next to this bench).")
    var binaries: String?

    func run() async throws {
        let folder = binaries.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for tool in ["listener", "stream-sim"]
        where !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent(tool).path) {
            throw ValidationError("no \(tool) in \(folder.path): build it first "
                                  + "(swift build -c release --product listener --product stream-sim) or pass --binaries")
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("listener-memory-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let feed = work.appendingPathComponent("feed.jsonl")
        try Self.feed(posts: feedPosts).write(to: feed)

        let stalled = try StalledServer()
        defer { stalled.close() }
        let token = "bench-\(UUID().uuidString)"
        let simulator = Process()
        simulator.executableURL = folder.appendingPathComponent("stream-sim")
        simulator.arguments = ["serve", "--archive", feed.path, "--port", "0", "--speed", "max", "--loop",
                               "--bearer-token", token, "--log-level", "error"]
        let simulatorOut = Pipe()
        simulator.standardOutput = simulatorOut
        simulator.standardError = FileHandle.nullDevice
        try simulator.run()
        defer { simulator.terminate(); simulator.waitUntilExit() }
        let first = String(decoding: simulatorOut.fileHandleForReading.availableData, as: UTF8.self)
        guard let start = first.range(of: "http://") else { throw ValidationError("stream-sim did not start: \(first)") }
        let base = String(first[start.lowerBound...].prefix { !$0.isWhitespace })

        let listener = Process()
        listener.executableURL = folder.appendingPathComponent("listener")
        listener.arguments = ["--keyword", "coffee", "--api-base", base, "--mongo", "mongodb://127.0.0.1:\(stalled.port)/",
                              "--database", "bench", "--spill", work.appendingPathComponent("spill.jsonl").path]
        listener.environment = ["X_BEARER_TOKEN": token, "PATH": "/usr/bin:/bin"]
        let listenerErr = work.appendingPathComponent("listener.log")
        _ = FileManager.default.createFile(atPath: listenerErr.path, contents: nil)
        listener.standardError = try FileHandle(forWritingTo: listenerErr)
        listener.standardOutput = FileHandle.nullDevice
        let began = ContinuousClock.now
        try listener.run()

        // Wait until the listener has spilled N posts (the queue never answers, so every
        // post it takes ends there), sampling its peak RSS. With backpressure the
        // simulator's count runs ahead of the listener's by what sits in socket buffers,
        // so the spill file, not the simulator, says when N posts have arrived.
        var peakKiB = 0
        let spillCounter = LineCounter(url: work.appendingPathComponent("spill.jsonl"))
        var spilledLines = 0
        var lastProgress = ContinuousClock.now
        while listener.isRunning {
            peakKiB = max(peakKiB, Self.peakRSSKiB(pid: listener.processIdentifier) ?? 0)
            let now = spillCounter.count()
            if now > spilledLines { spilledLines = now; lastProgress = .now }
            if spilledLines >= posts { break }
            if ContinuousClock.now - lastProgress > .seconds(10) {
                print("warning: the listener made no progress for 10 s")
                break
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        peakKiB = max(peakKiB, Self.peakRSSKiB(pid: listener.processIdentifier) ?? 0)
        let elapsed = ContinuousClock.now - began
        listener.interrupt()
        listener.waitUntilExit()
        let log = (try? String(contentsOf: listenerErr, encoding: .utf8)) ?? ""

        let received = Self.figure("read", line: "listener stopped", in: log)
        let duplicates = Self.figure("duplicates", line: "listener stopped", in: log)
        let enqueued = Self.figure("enqueued", line: "listener stopped", in: log)
        let spilled = Self.figure("spilled", line: "listener stopped", in: log)
        guard let received, let duplicates, let enqueued, let spilled else {
            throw ValidationError("the listener did not report its totals; its log:\n\(log.suffix(2_000))")
        }
        let distinct = received - duplicates
        let megabytes = Double(peakKiB) / 1024
        print("listener peak RSS with the queue stalled: \(received) posts received in \(String(format: "%.1f", elapsed.inSeconds)) s")
        print(String(format: "peak RSS (VmHWM): %.1f MB (goal ≤ 64 MB: %@)", megabytes, megabytes <= 64 ? "met" : "NOT met"))
        print("received \(received) (duplicates \(duplicates)), enqueued \(enqueued), spilled \(spilled): "
              + (distinct == enqueued + spilled ? "nothing dropped" : "MISMATCH: \(distinct - enqueued - spilled) missing"))
        if received < posts { print("warning: fewer posts received than asked (\(received) < \(posts))") }
        if distinct != enqueued + spilled { throw ExitCode(1) }
    }

    /// `name=N` from the last log line containing `line`.
    static func figure(_ name: String, line marker: String, in log: String) -> Int? {
        guard let line = log.split(separator: "\n").last(where: { $0.contains(marker) }),
              let field = line.split(separator: " ").first(where: { $0.hasPrefix(name + "=") }) else { return nil }
        return Int(field.dropFirst(name.count + 1))
    }

    /// VmHWM of a process (its peak resident set), in KiB (Linux).
    static func peakRSSKiB(pid: Int32) -> Int? { statusKiB("VmHWM", pid: pid) }

    /// VmRSS of a process (its resident set now), in KiB (Linux).
    static func currentRSSKiB(pid: Int32) -> Int? { statusKiB("VmRSS", pid: pid) }

    /// A `/proc/PID/status` field given in kB.
    private static func statusKiB(_ field: String, pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }

    /// Counts the lines of a growing file, reading only what was added since last time.
    final class LineCounter {
        private let url: URL
        private var handle: FileHandle?
        private var lines = 0

        init(url: URL) { self.url = url }

        func count() -> Int {
            if handle == nil { handle = try? FileHandle(forReadingFrom: url) }
            guard let handle else { return lines }
            while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                lines += chunk.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
            }
            return lines
        }
    }

    /// Stream messages that all match `coffee`, with realistic fields and UTF-8.
    static func feed(posts: Int) -> Data {
        var data = Data()
        for index in 0..<posts {
            let author = 1000 + index % 5000
            let line = #"{"data":{"id":"\#(1_700_000_000_000_000_000 + index)","text":"coffee \#(index) is really great ☕ café 😀 at the morning","#
                + #""author_id":"\#(author)","created_at":"2026-11-29T20:52:18.000Z","lang":"en","edit_history_tweet_ids":["\#(1_700_000_000_000_000_000 + index)"]},"#
                + #""includes":{"users":[{"id":"\#(author)","name":"User \#(author)","username":"user\#(author)"}]}}"# + "\n"
            data.append(contentsOf: line.utf8)
        }
        return data
    }
}
