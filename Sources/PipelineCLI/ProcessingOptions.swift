import ArgumentParser
import Wiring
import Foundation
import PipelineModel
import Storage
import Sentiment

/// How posts are scored: the consumer's flags.
struct ProcessingOptions: ParsableArguments {
    @Option(help: "Consumer workers.")
    var workers = 2
    // Parsed here rather than as `EngineKind` so that a bad value is our one line naming
    // `--engine VALUE`, not the argument parser's message.
    @Option(help: "Sentiment engine: \(EngineKind.names).")
    var engine = EngineKind.default.rawValue
    @Option(help: "Naive Bayes / hybrid model file (default: the shipped model under lexicons/).")
    var model: String?
    @Option(help: "Posts per consumer batch.")
    var batch = 500
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error.")
    var logLevel = "notice"
    @Option(help: ArgumentHelp(
        "Embedded store: keep posts and minute buckets this long before the newest post (7d, 48h, 90m; 0 or off keeps everything).",
        discussion: "Measured in the posts' own time, so replays of old archives keep their last stretch. Hourly buckets are kept 90 days; all-time totals count every post. Not used with --mongo."))
    var retention = "7d"
    @Option(name: .customLong("score-languages"), help: ArgumentHelp(
        "Languages to score, as X's lang tags (e.g. en,und); posts in others are counted but labelled unscored.",
        discussion: "Default: the engine's languages (en for every shipped engine) and und (undetermined). Posts without a lang tag are scored."))
    var scoreLanguages: String?

    /// The parsed `--score-languages`, nil for the engine's default (valid once `validate` passed).
    var scoredLanguages: [String]? { scoreLanguages.flatMap(LanguageGate.languages(parsing:)) }

    /// The parsed `--engine` (valid once `validate` passed).
    var engineKind: EngineKind { EngineKind(rawValue: engine) ?? .default }

    /// The parsed `--retention`: nil keeps everything (valid once `validate` passed).
    var storeRetention: Duration? {
        if case .keep(let duration) = Self.parseRetention(retention) { return duration }
        return nil
    }

    /// What `--retention` asks for.
    enum Retention: Equatable {
        /// `0` or `off`.
        case keepEverything
        /// A duration of at least a minute.
        case keep(Duration)
    }

    /// `7d`, `48h`, `90m`, `3600s` or plain seconds (at least a minute); `0` or `off`.
    /// Nil when `text` is none of these.
    static func parseRetention(_ text: String) -> Retention? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed == "off" { return .keepEverything }
        let duration: Duration
        if trimmed.hasSuffix("d") {
            guard let days = Double(trimmed.dropLast()), days.isFinite, days >= 0 else { return nil }
            duration = .milliseconds(Int64(days * 86_400_000))
        } else {
            guard let parsed = DurationText.parse(trimmed) else { return nil }
            duration = parsed
        }
        if duration == .zero { return .keepEverything }
        return duration >= .seconds(60) ? .keep(duration) : nil
    }

    func validate() throws {
        guard (1...64).contains(workers) else { throw ValidationError("--workers must be between 1 and 64") }
        guard (1...100_000).contains(batch) else { throw ValidationError("--batch must be between 1 and 100000") }
        guard EngineKind(rawValue: engine) != nil else {
            throw ValidationError("--engine \(engine) is not one of \(EngineKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let scoreLanguages, LanguageGate.languages(parsing: scoreLanguages) == nil {
            throw ValidationError("--score-languages \(scoreLanguages) is not a comma-separated list of language tags like en,und")
        }
        guard Self.parseRetention(retention) != nil else {
            throw ValidationError("--retention \(retention) is not a duration of at least a minute (like 7d, 48h, 90m) or 0/off")
        }
    }
}
