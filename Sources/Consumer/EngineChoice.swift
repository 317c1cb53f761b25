import Foundation
import Sentiment

/// The sentiment engines an executable can be asked for by name (`--engine`).
public enum EngineChoice: String, Sendable, CaseIterable {
    /// The VADER-method lexicon scorer.
    case lexicon
    /// Multinomial Naive Bayes.
    case bayes
    /// Lexicon and Naive Bayes combined.
    case hybrid

    /// File name of the shipped default model, next to the lexicon files.
    public static let defaultModelName = "sentiment-default.model"

    /// Builds the engine; bayes and hybrid read `modelPath`, or the default model found
    /// beside the lexicon files. The one place to extend when an engine is added.
    public func makeEngine(modelPath: String? = nil) throws -> any SentimentEngine {
        switch self {
        case .lexicon:
            return try Self.lexicon()
        case .bayes:
            let (file, fingerprint) = try Self.model(modelPath)
            return try BayesEngine(model: file.bayes, tokenizer: WordTokenizer(), fingerprint: fingerprint)
        case .hybrid:
            let (file, fingerprint) = try Self.model(modelPath)
            guard let combiner = file.hybrid else {
                throw EngineUnavailable(engine: rawValue, reason: "the model has no hybrid part")
            }
            return HybridEngine(bayes: try BayesEngine(model: file.bayes, tokenizer: WordTokenizer(),
                                                       fingerprint: fingerprint),
                                lexicon: try Self.lexicon(), combiner: combiner)
        }
    }

    private static func lexicon() throws -> LexiconScorer {
        do {
            return LexiconScorer(lexicon: try LexiconFiles.locate().load())
        } catch {
            throw EngineUnavailable(engine: "lexicon", reason: "\(error)")
        }
    }

    /// Reads a model file; its fingerprint is the hex of its last four bytes (a checksum).
    private static func model(_ path: String?) throws -> (ModelFile, String) {
        let resolved: String
        if let path {
            resolved = path
        } else {
            guard let files = try? LexiconFiles.locate() else {
                throw EngineUnavailable(engine: "bayes", reason: "no lexicons/ folder holding \(defaultModelName) found")
            }
            resolved = files.directory.appendingPathComponent(defaultModelName).path
        }
        guard let data = FileManager.default.contents(atPath: resolved) else {
            throw EngineUnavailable(engine: "bayes", reason: "cannot read model \(resolved)")
        }
        let bytes = [UInt8](data)
        do {
            let fingerprint = bytes.suffix(4).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            return (try ModelFile(bytes: bytes), fingerprint)
        } catch {
            throw EngineUnavailable(engine: "bayes", reason: "model \(resolved): \(error)")
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
