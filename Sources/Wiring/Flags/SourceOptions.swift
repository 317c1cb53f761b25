import PipelineModel
import ArgumentParser
import Foundation
import Listener
import StreamRules

/// Where posts come from — the live X API stream or archived feeds — as flags shared by
/// `listener` and `pipeline` (`@OptionGroup`), and how they become the listener's parts.
public struct SourceOptions: ParsableArguments, Sendable {
    /// `--keyword` (repeatable).
    @Option(name: .customLong("keyword"), help: "A keyword to follow (repeatable).")
    public var keywords: [String] = []
    /// `--rule` (repeatable), paired in order with `--tag`.
    @Option(name: .customLong("rule"), help: "A raw rule (repeatable); each needs a --tag, paired in order.")
    public var rules: [String] = []
    /// `--tag` (repeatable).
    @Option(name: .customLong("tag"), help: "The keyword a --rule's posts count under.")
    public var tags: [String] = []
    /// `--lang`.
    @Option(help: "Only posts in this language (adds lang:xx to keyword rules).")
    public var lang: String?
    /// `--api-base`.
    @Option(name: .customLong("api-base"), help: "API base URL (a stream-sim URL for demos and tests).")
    public var apiBase = "https://api.x.com"
    /// `--stall-timeout`.
    @Option(name: .customLong("stall-timeout"), help: "Reconnect after this much silence (e.g. 20s, 500ms).")
    public var stallTimeout = "20s"
    /// `--backfill-minutes`.
    @Option(name: .customLong("backfill-minutes"), help: "Ask for up to 5 minutes of missed posts on reconnect.")
    public var backfillMinutes = 0
    /// `--bearer-token-file`.
    @Option(name: .customLong("bearer-token-file"), help: "Read the bearer token from this file (default: $X_BEARER_TOKEN).")
    public var bearerTokenFile: String?
    /// `--replay FILE…`.
    @Option(name: .customLong("replay"), parsing: .upToNextOption,
            help: "Replay these archive/JSONL files (.gz too) instead of streaming.")
    public var replay: [String] = []
    /// `--speed`.
    @Option(help: "Replay speed: 1 (original pacing), N (N times faster) or max.")
    public var speed = "max"
    /// `--max-gap`.
    @Option(name: .customLong("max-gap"),
            help: "Longest wait between two posts of a paced replay (e.g. 60s, 10m); longer gaps in the archive are shortened to it.")
    public var maxGap = "60s"
    /// `--archive`.
    @Option(help: "Folder for the raw archive (rotating files) of a live stream.")
    public var archive: String?
    /// `--archive-gzip`.
    @Flag(name: .customLong("archive-gzip"), help: "Compress archive files with gzip.")
    public var archiveGzip = false
    /// `--rules-namespace`.
    @Option(name: .customLong("rules-namespace"), help: "Tag prefix marking the rules this listener owns.")
    public var rulesNamespace = "sentiment-listener"
    // Hidden on purpose: 1 is the documented schedule; only tests shrink the waits.
    /// `--backoff-scale` (hidden): multiplies every reconnect back-off wait.
    @Option(name: .customLong("backoff-scale"), help: .hidden)
    public var backoffScale = 1.0

    /// Creates the defaults (for ArgumentParser).
    public init() {}

    /// Checks the flags; a problem is one line (`CommandFailure`), not a usage screen.
    /// Called from `run`, not `validate`, for that reason.
    public func check() throws {
        if replay.isEmpty && keywords.isEmpty && rules.isEmpty {
            throw CommandFailure("give at least one --keyword (or --rule with --tag), or --replay FILE")
        }
        if rules.count != tags.count {
            throw CommandFailure("every --rule needs its own --tag (\(rules.count) rules, \(tags.count) tags)")
        }
        if ReplaySpeed(speed) == nil {
            throw CommandFailure("--speed \(speed) is not 1, a positive number, or max")
        }
        if DurationText.parse(maxGap).map({ $0 <= .zero }) ?? true {
            throw CommandFailure("--max-gap \(maxGap) is not a duration like 60s or 10m")
        }
        if DurationText.parse(stallTimeout).map({ $0 <= .zero }) ?? true {
            throw CommandFailure("--stall-timeout \(stallTimeout) is not a duration like 20s or 500ms")
        }
        if !(0...5).contains(backfillMinutes) {
            throw CommandFailure("--backfill-minutes must be between 0 and 5")
        }
        if !(backoffScale > 0 && backoffScale <= 1) {
            throw CommandFailure("--backoff-scale must be in (0, 1]")
        }
        for file in replay where !FileManager.default.isReadableFile(atPath: file) {
            throw CommandFailure("cannot read replay file \(file)")
        }
        guard !replay.isEmpty else { return }
        // A replay evaluates its own rules: they must parse here, not only on the server.
        _ = try replayRules()
        if keywords.isEmpty && rules.isEmpty,
           let file = replayFiles.first(where: { Replayer.firstPostLacksRules(in: $0) }) {
            throw CommandFailure("\(file.path) has posts without matching_rules; give --keyword or --rule with --tag to count them")
        }
    }

    /// The replay's own rules compiled (nil when none are given); a keyword or rule that
    /// is not valid is one line naming it.
    func replayRules() throws -> RuleMatcher? {
        guard !keywords.isEmpty || !rules.isEmpty else { return nil }
        let desired = try RuleSet.desiredRules(keywords: keywords, rawRules: Array(zip(rules, tags)).map { ($0, $1) },
                                               lang: lang)
        do {
            return try RuleMatcher(rules: desired.map { TaggedRule(value: $0.value, tag: $0.keyword) })
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// The live listener's configuration (rules validated: a bad keyword is one line).
    public func streamConfiguration() throws -> StreamListener.Configuration {
        var configuration = StreamListener.Configuration()
        configuration.desiredRules = try RuleSet.desiredRules(
            keywords: keywords, rawRules: Array(zip(rules, tags)).map { ($0, $1) }, lang: lang)
        configuration.apiBase = apiBase
        configuration.namespace = RuleNamespace(prefix: rulesNamespace)
        configuration.stallTimeout = DurationText.parse(stallTimeout) ?? .seconds(20)
        configuration.reconnect.backfillMinutes = backfillMinutes
        configuration.backoffScale = backoffScale
        return configuration
    }

    /// The archive writer of a live stream, when `--archive` is given.
    public func archiveWriter() throws -> ArchiveWriter? {
        try archive.map { folder in
            var settings = ArchiveWriter.Configuration(directory: URL(fileURLWithPath: folder))
            settings.gzip = archiveGzip
            return try ArchiveWriter(configuration: settings)
        }
    }

    /// The bearer token from `--bearer-token-file` or `$X_BEARER_TOKEN`.
    public func bearerToken() throws -> BearerToken {
        try BearerToken.load(file: bearerTokenFile, environment: ProcessInfo.processInfo.environment)
    }

    /// A replayer of `--replay` files at `--speed`: keywords from the run's own
    /// `--keyword` / `--rule` (with `--lang`) evaluated on each post, else from the
    /// archived `matching_rules`. Rules that do not compile (`check()` reports them
    /// first) make its `run` fail with that line.
    public func replayer() -> Replayer {
        let namespace = RuleNamespace(prefix: rulesNamespace)
        var replayer: Replayer
        do {
            replayer = Replayer(speed: ReplaySpeed(speed) ?? .maximum,
                                rules: .replay(ownRules: try replayRules(), namespace: namespace))
        } catch {
            replayer = Replayer(speed: ReplaySpeed(speed) ?? .maximum, rules: .replay(ownRules: nil, namespace: namespace))
            replayer.configurationError = .configuration("\(error)")
        }
        replayer.maximumWait = DurationText.parse(maxGap) ?? ReplayPacer.defaultMaximumWait
        return replayer
    }

    /// The `--replay` files as URLs.
    public var replayFiles: [URL] { replay.map { URL(fileURLWithPath: $0) } }
}
