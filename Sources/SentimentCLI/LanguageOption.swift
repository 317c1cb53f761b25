import ArgumentParser
import Sentiment

/// `--score-languages` of `score` and `eval`: the consumer's language gate on the command line.
enum LanguageOption {
    /// Throws the consumer's message when `value` is not a list of language tags.
    static func validate(_ value: String?) throws {
        if let value, LanguageGate.languages(parsing: value) == nil {
            throw ValidationError("--score-languages \(value) is not a comma-separated list of language tags like en,und")
        }
    }

    /// The gate for `value` (validated), or the engine's default one.
    static func gate(_ value: String?, for engine: any SentimentEngine) -> LanguageGate {
        value.flatMap(LanguageGate.languages(parsing:)).map { LanguageGate(languages: $0) }
            ?? LanguageGate(defaultFor: engine)
    }
}
