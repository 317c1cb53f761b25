import ArgumentParser
import Foundation
import Listener

/// Which archives to replay and how fast: the flags of every command that reads
/// recorded feeds (`listener`, `pipeline run`, `pipeline evaluate`).
public struct ReplayOptions: ParsableArguments, Sendable {
    /// `--replay FILE…`.
    @Option(name: .customLong("replay"), parsing: .upToNextOption,
            help: "Replay these archive/JSONL files (.gz too) instead of streaming.")
    public var files: [String] = []
    /// `--speed`.
    @Option(help: "Replay speed: 1 (original pacing), N (N times faster) or max.")
    public var speed = "max"
    /// `--max-gap`.
    @Option(name: .customLong("max-gap"),
            help: "Longest wait between two posts of a paced replay (e.g. 60s, 10m); longer gaps in the archive are shortened to it.")
    public var maxGap = "60s"

    /// Creates the defaults (for ArgumentParser).
    public init() {}

    /// True when no `--replay` file was given (the source is the live stream).
    public var isEmpty: Bool { files.isEmpty }

    /// The `--replay` files as URLs.
    public var urls: [URL] { files.map { URL(fileURLWithPath: $0) } }

    /// Checks the flags and, when files are given, that they are readable and that
    /// `rules` (the run's own) parse, or that the archives carry `matching_rules` to
    /// count posts by. A problem is one line.
    public func check(rules: RuleOptions) throws {
        if ReplaySpeed(speed) == nil {
            throw CommandFailure("--speed \(speed) is not 1, a positive number, or max")
        }
        if DurationText.parse(maxGap).map({ $0 <= .zero }) ?? true {
            throw CommandFailure("--max-gap \(maxGap) is not a duration like 60s or 10m")
        }
        for file in files where !FileManager.default.isReadableFile(atPath: file) {
            throw CommandFailure("cannot read replay file \(file)")
        }
        guard !files.isEmpty else { return }
        // A replay evaluates its own rules: they must parse here, not only on the server.
        _ = try rules.replayMatcher()
        if rules.isEmpty, let file = urls.first(where: { Replayer.firstPostLacksRules(in: $0) }) {
            throw CommandFailure("\(file.path) has posts without matching_rules; give --keyword or --rule with --tag to count them")
        }
    }

    /// A replayer of the files at `--speed`: keywords from the run's own `rules`
    /// evaluated on each post, else from the archived `matching_rules`. Rules that do not
    /// compile (`check` reports them first) make its `run` fail with that line.
    public func replayer(rules: RuleOptions) -> Replayer {
        var replayer: Replayer
        do {
            replayer = Replayer(speed: ReplaySpeed(speed) ?? .maximum,
                                rules: .replay(ownRules: try rules.replayMatcher(), namespace: rules.namespace))
        } catch {
            replayer = Replayer(speed: ReplaySpeed(speed) ?? .maximum,
                                rules: .replay(ownRules: nil, namespace: rules.namespace))
            replayer.configurationError = .configuration("\(error)")
        }
        replayer.maximumWait = DurationText.parse(maxGap) ?? ReplayPacer.defaultMaximumWait
        return replayer
    }
}
