/// The sentiment engines an executable offers by name (`--engine lexicon|bayes|logreg|hybrid`):
/// the one list every command parses, with the one default they all share.
public enum EngineKind: String, Sendable, CaseIterable {
    /// The VADER-method lexicon scorer.
    case lexicon
    /// Multinomial Naive Bayes.
    case bayes
    /// Multinomial logistic regression over TF-IDF unigrams and bigrams.
    case logreg
    /// Naive Bayes and the lexicon scorer combined by a learned combiner.
    case hybrid

    /// The engine a command uses when none is named: the hybrid, the most accurate on the
    /// held-out tweets (see docs/testing.md), built from the shipped default model.
    public static let `default` = EngineKind.hybrid

    /// The names, `lexicon|bayes|logreg|hybrid`, for help texts.
    public static var names: String { allCases.map(\.rawValue).joined(separator: "|") }

    /// Builds this engine through `EngineCatalog`; bayes, logreg and hybrid read `modelPath`, or
    /// the default model found beside the lexicon files. The error names the engine.
    public func makeEngine(modelPath: String? = nil) throws(EngineUnavailable) -> any SentimentEngine {
        do {
            return try EngineCatalog.make(self, modelPath: modelPath)
        } catch {
            throw EngineUnavailable(engine: rawValue, reason: "\(error)")
        }
    }
}

/// The requested engine cannot be built here (missing or unusable lexicon or model files).
public struct EngineUnavailable: Error, CustomStringConvertible {
    /// The engine's name.
    public var engine: String
    /// Why, in one line.
    public var reason: String

    public var description: String { "the \(engine) engine is unavailable: \(reason)" }
}
