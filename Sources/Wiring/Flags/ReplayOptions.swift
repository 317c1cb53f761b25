import ArgumentParser
import Foundation
import Listener
import Logging
import ObjectStorage

/// Which archives to replay and how fast: the flags of every command that reads
/// recorded feeds (`listener`, `pipeline run`, `pipeline evaluate`).
public struct ReplayOptions: ParsableArguments, Sendable {
    /// `--replay FILE…`.
    @Option(name: .customLong("replay"), parsing: .upToNextOption,
            help: "Replay these archive/JSONL files (.gz too), or every archive object under s3://bucket/prefix/ in time order, instead of streaming.")
    public var files: [String] = []
    /// `--from`.
    @Option(help: "With s3:// replays: only archive objects whose name's time is at or after this (e.g. 2026-12-05 or 2026-12-05T14:00:00Z).")
    public var from: String?
    /// `--to`.
    @Option(help: "With s3:// replays: only archive objects whose name's time is before this.")
    public var to: String?
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

    /// The `--replay` files as URLs (`s3://` locations left out).
    public var urls: [URL] { files.filter { !ObjectLocation.isObjectURL($0) }.map { URL(fileURLWithPath: $0) } }

    /// The `--replay` entries that are object-storage locations.
    public var locations: [ObjectLocation] { files.compactMap { ObjectLocation(url: $0) } }

    /// What to replay, in the order given: files, and the archive objects under each
    /// `s3://` location (listed when called, in time order, within `--from`/`--to`).
    public func inputs(logger: Logger) throws -> @Sendable () async throws -> [ReplayInput] {
        let entries = files
        let (from, to) = (Self.time(from), Self.time(to))
        let configuration = locations.isEmpty ? nil
            : try ObjectStoreConfiguration.fromEnvironment(ProcessInfo.processInfo.environment)
        return {
            var inputs: [ReplayInput] = []
            for entry in entries {
                guard let location = ObjectLocation(url: entry), let configuration else {
                    inputs.append(.file(URL(fileURLWithPath: entry)))
                    continue
                }
                let store = ObjectStore(bucket: location.bucket, configuration: configuration, logger: logger)
                inputs += try await ReplayInput.objects(in: location, store: store, from: from, to: to)
            }
            return inputs
        }
    }

    /// `2026-12-05`, `2026-12-05T14:00:00Z` or with milliseconds, as a date.
    static func time(_ text: String?) -> Date? {
        guard let text else { return nil }
        if text.count == 10 { return Timestamp.parse(text + "T00:00:00.000Z") }
        if text.count == 20, text.hasSuffix("Z") { return Timestamp.parse(text.dropLast() + ".000Z") }
        return Timestamp.parse(text)
    }

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
        for bound in [("--from", from), ("--to", to)] {
            if let text = bound.1, Self.time(text) == nil {
                throw CommandFailure("\(bound.0) \(text) is not a time like 2026-12-05 or 2026-12-05T14:00:00Z")
            }
        }
        for file in files where ObjectLocation.isObjectURL(file) {
            guard ObjectLocation(url: file) != nil else {
                throw CommandFailure("--replay \(file) is not s3://bucket/prefix/ with a valid bucket name")
            }
            do { _ = try ObjectStoreConfiguration.fromEnvironment(ProcessInfo.processInfo.environment) } catch {
                throw CommandFailure("--replay \(file): \(error)")
            }
        }
        for file in files where !ObjectLocation.isObjectURL(file) && !FileManager.default.isReadableFile(atPath: file) {
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
