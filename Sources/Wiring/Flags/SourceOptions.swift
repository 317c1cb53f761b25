import ArgumentParser
import Foundation

/// Where posts come from — the live X API stream, or archived feeds with `--replay` — as
/// the flags `listener` and `pipeline run` share (`@OptionGroup`): what to follow
/// (`RuleOptions`), how to follow the stream (`LiveStreamOptions`) and which archives to
/// replay (`ReplayOptions`). `pipeline evaluate` takes only the first and the last.
public struct SourceOptions: ParsableArguments, Sendable {
    /// `--keyword`, `--rule`/`--tag`, `--lang`, `--rules-namespace`.
    @OptionGroup public var rules: RuleOptions
    /// `--api-base`, `--stall-timeout`, `--backfill-minutes`, `--bearer-token-file`, `--archive`.
    @OptionGroup public var live: LiveStreamOptions
    /// `--replay`, `--speed`, `--max-gap`.
    @OptionGroup public var replay: ReplayOptions

    /// Creates the defaults (for ArgumentParser).
    public init() {}

    /// Checks the flags; a problem is one line (`CommandFailure`), not a usage screen.
    /// Called from `run`, not `validate`, for that reason.
    public func check() throws {
        if replay.isEmpty && rules.isEmpty {
            throw CommandFailure("give at least one --keyword (or --rule with --tag), or --replay FILE")
        }
        try rules.check()
        try replay.check(rules: rules)
        try live.check()
    }
}
