import ArgumentParser
import CommandSupport
import Foundation
import Listener
import ListenerCommandSupport
import Logging
import PipelineCore

/// `listener`: follows the X API v2 filtered stream (or replays archives) and hands
/// posts to the queue; without `--mongo`, prints them as JSON lines on stdout.
@main
struct ListenerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listener",
        abstract: "Follow the X API v2 filtered stream for keywords, or replay archives, into the post queue.",
        discussion: """
        The bearer token comes from X_BEARER_TOKEN or --bearer-token-file; it is never \
        logged. Posts go to the MongoDB queue (collection `inbox`) given by --mongo, or by \
        MONGODB_URI when --mongo is absent (keeps a password out of the process list); \
        with neither, they are printed to stdout as JSON lines. While MongoDB is \
        unreachable, posts wait in the --spill file and are sent when it answers again, \
        also after a restart.
        """)

    @Option(name: .customLong("keyword"), help: "A keyword to follow (repeatable).")
    var keywords: [String] = []
    @Option(name: .customLong("rule"), help: "A raw rule (repeatable); each needs a --tag, paired in order.")
    var rules: [String] = []
    @Option(name: .customLong("tag"), help: "The keyword a --rule's posts count under.")
    var tags: [String] = []
    @Option(help: "Only posts in this language (adds lang:xx to keyword rules).")
    var lang: String?
    @Option(name: .customLong("api-base"), help: "API base URL.")
    var apiBase = "https://api.x.com"
    @OptionGroup var mongo: MongoOptions
    @Option(help: "Folder for the raw archive (rotating files).")
    var archive: String?
    @Flag(name: .customLong("archive-gzip"), help: "Compress archive files with gzip.")
    var archiveGzip = false
    @Option(name: .customLong("stall-timeout"), help: "Reconnect after this much silence (e.g. 20s, 500ms).")
    var stallTimeout = "20s"
    @Option(name: .customLong("backfill-minutes"), help: "Ask for up to 5 minutes of missed posts on reconnect.")
    var backfillMinutes = 0
    @Option(name: .customLong("bearer-token-file"), help: "Read the bearer token from this file.")
    var bearerTokenFile: String?
    @Option(name: .customLong("replay"), parsing: .upToNextOption, help: "Replay these archive/JSONL files (.gz too) instead of streaming.")
    var replay: [String] = []
    @Option(help: "Replay speed: 1 (original pacing), N (N times faster) or max.")
    var speed = "max"
    @Option(help: "Spill file for posts the queue cannot take yet.")
    var spill = "listener-spill.jsonl"
    @Option(name: .customLong("rules-namespace"), help: "Tag prefix marking the rules this listener owns.")
    var rulesNamespace = "sentiment-listener"
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error.")
    var logLevel = "info"
    // Hidden on purpose: 1 is the documented schedule; tests shrink the waits.
    @Option(name: .customLong("backoff-scale"), help: .hidden)
    var backoffScale = 1.0

    func run() async throws {
        do {
            try await execute()
        } catch let error as ListenerError {
            FileHandle.standardError.write(Data("listener: error: \(error.description)\n".utf8))
            throw ExitCode(2)
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("listener: error: \(failure.description)\n".utf8))
            throw ExitCode(2)
        }
    }

    private func execute() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ListenerError.configuration("unknown --log-level \(logLevel)")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "listener")
        guard let stall = DurationText.parse(stallTimeout), stall > .zero else {
            throw ListenerError.configuration("--stall-timeout \(stallTimeout) is not a duration like 20s or 500ms")
        }
        guard (0...5).contains(backfillMinutes) else {
            throw ListenerError.configuration("--backfill-minutes must be between 0 and 5")
        }
        guard rules.count == tags.count else {
            throw ListenerError.configuration("every --rule needs its own --tag (\(rules.count) rules, \(tags.count) tags)")
        }
        guard backoffScale > 0, backoffScale <= 1 else {
            throw ListenerError.configuration("--backoff-scale must be in (0, 1]")
        }
        let queue = try await openQueue(logger: logger)
        let spillFile: SpillFile
        do { spillFile = try SpillFile(url: URL(fileURLWithPath: spill)) } catch {
            throw ListenerError.configuration("cannot open the spill file \(spill)")
        }
        let handoff = PostHandoff(queue: queue, spill: spillFile, logger: logger)
        let flusher = Task { await handoff.run() }
        defer { flusher.cancel() }

        if replay.isEmpty {
            try await stream(handoff: handoff, stall: stall, logger: logger)
        } else {
            try await replayFiles(handoff: handoff, logger: logger)
        }

        flusher.cancel()
        await handoff.flush(ignoringRetryDelay: true)
        let totals = await handoff.totals
        if !(await handoff.isDrained) {
            logger.warning("some posts remain in the spill file; they are sent on the next start",
                           metadata: ["spill": "\(spill)"])
        }
        logger.info("hand-off totals", metadata: [
            "enqueued": "\(totals.enqueued)", "spilled": "\(totals.spilled)", "queue_duplicates": "\(totals.duplicates)",
        ])
    }

    /// The MongoDB queue (`--mongo`, else `$MONGODB_URI`), or JSON lines on stdout. An
    /// unreachable server is not fatal: posts spill to disk until it answers.
    private func openQueue(logger: Logger) async throws -> any TweetQueue {
        guard let uri = mongo.resolvedURI() else { return JSONLinesQueue(output: .standardOutput) }
        let backend = try MongoBackend(uri: uri, database: mongo.database, logger: logger)
        do {
            try await backend.prepareQueue()
            // Debug, not info: a run that ends at once (bad token) prints exactly one line.
            logger.debug("MongoDB queue ready", metadata: [
                "uri": "\(backend.redactedURI)", "database": "\(backend.databaseName)",
            ])
        } catch {
            logger.warning("MongoDB is unreachable; posts spill to disk until it answers", metadata: [
                "uri": "\(backend.redactedURI)", "error": "\(error)",
            ])
        }
        return backend.queue
    }

    private func stream(handoff: PostHandoff, stall: Duration, logger: Logger) async throws {
        let desired: [DesiredRule]
        do {
            desired = try RuleSet.desiredRules(keywords: keywords, rawRules: Array(zip(rules, tags)).map { ($0, $1) }, lang: lang)
        } catch {
            throw ListenerError.configuration(error.description)
        }
        let token = try BearerToken.load(file: bearerTokenFile, environment: ProcessInfo.processInfo.environment)
        var configuration = StreamListener.Configuration()
        configuration.apiBase = apiBase
        configuration.desiredRules = desired
        configuration.namespace = RuleNamespace(prefix: rulesNamespace)
        configuration.stallTimeout = stall
        configuration.reconnect.backfillMinutes = backfillMinutes
        configuration.backoffScale = backoffScale
        let archiveWriter = try archive.map { folder in
            var settings = ArchiveWriter.Configuration(directory: URL(fileURLWithPath: folder))
            settings.gzip = archiveGzip
            return try ArchiveWriter(configuration: settings)
        }
        defer { archiveWriter?.close() }
        let listener = StreamListener(configuration: configuration, logger: logger)
        let report = try await SignalCancellation.run {
            try await listener.run(token: token, handoff: handoff, archive: archiveWriter)
        }
        logger.info("listener stopped", metadata: [
            "messages": "\(report.counts.messages)", "posts": "\(report.counts.posts)",
            "duplicates": "\(report.counts.duplicates)", "malformed": "\(report.counts.malformed)",
            "heartbeats": "\(report.counts.heartbeats)", "connections": "\(report.connections)",
        ])
    }

    private func replayFiles(handoff: PostHandoff, logger: Logger) async throws {
        guard let replaySpeed = ReplaySpeed(speed) else {
            throw ListenerError.configuration("--speed \(speed) is not 1, a positive number, or max")
        }
        let book = RuleBook(namespace: RuleNamespace(prefix: rulesNamespace), fallbackKeywords: keywords + tags)
        let replayer = Replayer(speed: replaySpeed, rules: book)
        let bar = ProgressBar.onTerminal(title: "replay")
        let files = replay.map { URL(fileURLWithPath: $0) }
        let report = try await SignalCancellation.run {
            try await replayer.run(files: files, clock: ContinuousClock(), submit: { await handoff.submit($0) },
                                   progress: bar.map { bar in { bar.draw(fraction: $0.fraction, detail: $0.summary) } })
        }
        bar?.finish()
        logger.info("replay finished", metadata: [
            "files": "\(report.files)", "lines": "\(report.lines)", "posts": "\(report.posts)",
            "duplicates": "\(report.duplicates)", "malformed": "\(report.malformed)", "unrecognized": "\(report.unrecognized)",
        ])
        if report.malformed > 0 {
            FileHandle.standardError.write(Data("listener: \(report.malformed) malformed line(s) skipped\n".utf8))
        }
    }
}
