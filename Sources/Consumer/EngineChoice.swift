import Sentiment

/// The sentiment engines an executable can be asked for by name (`--engine`).
public enum EngineChoice: String, Sendable, CaseIterable {
    /// The VADER-method lexicon scorer.
    case lexicon
    /// Multinomial Naive Bayes.
    case bayes
    /// Lexicon and Naive Bayes combined.
    case hybrid

    /// Builds the engine through `EngineCatalog`; bayes and hybrid read `modelPath`, or
    /// the default model found beside the lexicon files.
    public func makeEngine(modelPath: String? = nil) throws -> any SentimentEngine {
        let kind: EngineCatalog.Kind
        switch self {
        case .lexicon: kind = .lexicon
        case .bayes: kind = .bayes
        case .hybrid: kind = .hybrid
        }
        do {
            return try EngineCatalog.make(kind, modelPath: modelPath)
        } catch {
            throw EngineUnavailable(engine: rawValue, reason: "\(error)")
        }
    }
}

/// The requested engine cannot be built here (missing lexicon or model files).
public struct EngineUnavailable: Error, CustomStringConvertible {
    /// The engine's name.
    public var engine: String
    /// Why.
    public var reason: String

    public var description: String { "the \(engine) engine is unavailable: \(reason)" }
}
