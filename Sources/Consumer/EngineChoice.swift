import Sentiment

/// The sentiment engines an executable can be asked for by name (`--engine`).
public enum EngineChoice: String, Sendable, CaseIterable {
    /// The VADER-method lexicon scorer.
    case lexicon
    /// Multinomial Naive Bayes with the bundled model.
    case bayes
    /// Lexicon and Naive Bayes combined.
    case hybrid

    /// Builds the engine. The one place to extend when an engine lands in `Sentiment`.
    public func makeEngine() throws -> any SentimentEngine {
        switch self {
        case .lexicon, .bayes, .hybrid:
            throw EngineUnavailable(engine: rawValue)
        }
    }
}

/// The requested engine is not part of this build.
public struct EngineUnavailable: Error, CustomStringConvertible {
    /// The engine's name.
    public var engine: String

    public var description: String {
        "the \(engine) engine is not available in this build (available: \(EngineChoice.available.map(\.rawValue).joined(separator: ", ")))"
    }
}

extension EngineChoice {
    /// The engines this build can construct.
    public static var available: [EngineChoice] {
        allCases.filter { (try? $0.makeEngine()) != nil }
    }
}
