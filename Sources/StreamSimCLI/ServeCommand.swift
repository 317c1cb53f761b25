import ArgumentParser
import Wiring
import Foundation
import Logging
import ServiceLifecycle
import StreamSim

/// `stream-sim serve` (the default): load an archive and serve it.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve an archive as an X API v2 filtered stream on loopback.",
        discussion: """
        The first line on stdout is `listening on http://HOST:PORT` (with --port 0 the port \
        is picked free). Endpoints: GET /2/tweets/search/stream, GET|POST \
        /2/tweets/search/stream/rules, GET /sim/stats (connection log, JSON).

        Delivery resumes across connections: a new stream connection continues where the \
        previous one stopped (a half-written message is sent again), and \
        backfill_minutes=N (0-5) re-sends what was sent in the last N minutes. A new \
        connection supersedes an open one.

        \(faultHelp)
        """)

    @Option(help: "Archive to serve: JSON lines, one v2 stream message or v2 post object per line; .gz accepted.")
    var archive: String

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to bind; 0 picks a free one.")
    var port = 0

    @Option(help: "Accepted bearer token (else $STREAM_SIM_BEARER_TOKEN, else $X_BEARER_TOKEN, else any non-empty token).")
    var bearerToken: String?

    @Option(help: "Seconds of silence before a \\r\\n keep-alive.")
    var heartbeat: Double = 20

    @Option(help: "Posts per second per connection (ignored with --speed max).")
    var rate: Double = 50

    @Option(help: "'max' sends as fast as the client reads.")
    var speed: String?

    @Flag(help: "Start over at the end of the archive; later passes append the pass number to ids (zero-padded to 4 digits) so posts stay unique.")
    var loop = false

    @Flag(help: "With --loop, keep the archived ids on every pass (clients see duplicates).")
    var loopSameIds = false

    @Flag(help: "Stamp each post's created_at with the time it is sent, so a looping demo shows now.")
    var restamp = false

    @Option(help: "gzip the stream: auto (when the client sends Accept-Encoding: gzip), always, never.")
    var gzip: String = "auto"

    @Option(help: "Cut every write into random pieces of 1...--max-chunk bytes, seeded with this number.")
    var splitChunks: UInt64?

    @Option(help: "Largest piece with --split-chunks.")
    var maxChunk = 64

    @Option(help: "Inject a fault (see FAULTS above); repeatable.")
    var fault: [String] = []

    @Option(help: "A rule present from the start (tag = the value); repeatable.")
    var rule: [String] = []

    @Option(help: "Most posts per write at full speed.")
    var postsPerWrite = 512

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func run() async throws {
        let signals = ShutdownSignals.install()
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var configuration = StreamSimConfiguration()
        configuration.host = host
        configuration.port = port
        let environment = ProcessInfo.processInfo.environment
        configuration.bearerToken = bearerToken ?? environment["STREAM_SIM_BEARER_TOKEN"] ?? environment["X_BEARER_TOKEN"]
        guard heartbeat > 0 else { fail("--heartbeat must be positive") }
        configuration.heartbeatInterval = .milliseconds(Int64(heartbeat * 1000))
        switch speed {
        case nil:
            guard rate > 0 else { fail("--rate must be positive") }
            configuration.pacing = .postsPerSecond(rate)
        case "max":
            configuration.pacing = .max
        case let other?:
            fail("--speed accepts only 'max' (got '\(other)'); use --rate N for a fixed rate")
        }
        configuration.loop = loop ? (loopSameIds ? .sameIDs : .freshIDs) : .off
        configuration.restamp = restamp
        switch gzip {
        case "auto": configuration.compression = .auto
        case "always", "on": configuration.compression = .always
        case "never", "off": configuration.compression = .never
        default: fail("--gzip must be auto, always or never (got '\(gzip)')")
        }
        if let seed = splitChunks {
            configuration.chunkSplit = .init(seed: seed, maxBytes: maxChunk)
        }
        do {
            configuration.faults = try fault.map { spec throws(StreamFault.SpecError) in try StreamFault.parse(spec) }
        } catch {
            fail(error.description)
        }
        configuration.initialRules = rule.map { RuleBook.Addition(value: $0, tag: $0) }
        guard postsPerWrite > 0 else { fail("--posts-per-write must be positive") }
        configuration.postsPerWrite = postsPerWrite

        let feedArchive: FeedArchive
        do {
            feedArchive = try FeedArchive.load(path: archive)
        } catch {
            fail(error.description)
        }
        let message = "stream-sim: loaded \(feedArchive.posts.count) posts from \(archive)"
            + (feedArchive.malformedLines > 0 ? ", skipped \(feedArchive.malformedLines) malformed lines" : "")
        FileHandle.standardError.write(Data((message + "\n").utf8))
        let feed = StreamFeed(archive: feedArchive, configuration: configuration)
        if configuration.initialRules.count != (await feed.stats().rules.count) {
            fail("a --rule value is invalid or duplicated")
        }
        let host = configuration.host
        let app = buildApplication(configuration: configuration, feed: feed,
                                   logger: Logger(label: "stream-sim")) { port in
            // Unbuffered, so a parent process reading the pipe sees the URL at once.
            FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
        }
        // On SIGINT/SIGTERM: end the open stream first, then let the server close.
        let streams = ClosureService {
            try? await gracefulShutdown()
            await feed.stopServing()
        }
        do {
            try await ProcessLifecycle(signals: signals, logger: Logger(label: "stream-sim"))
                .run([.runsUntilStopped(app), .runsUntilStopped(streams)])
        } catch {
            fail("cannot serve on \(host):\(port): \(error)")
        }
    }
}

/// Prints one line on stderr and exits with status 2 (user error).
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("stream-sim: \(message)\n".utf8))
    exit(2)
}
