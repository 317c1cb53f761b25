import ArgumentParser
import Wiring
import Foundation
import Sentiment

/// Builds engines and finds, loads and saves model files for the subcommands.
enum EngineFactory {
    /// File name of the shipped default model under `lexicons/`.
    static let defaultModelName = EngineCatalog.defaultModelName

    /// The lexicon engine.
    static func lexiconEngine() throws -> LexiconScorer {
        do { return try EngineCatalog.lexicon() } catch { throw CommandFailure("\(error)") }
    }

    /// The engine `kind`, with the model at `modelPath` (or the default model) for bayes/hybrid.
    static func make(_ kind: EngineKind, modelPath: String?) throws -> any SentimentEngine {
        do {
            return try EngineCatalog.make(kind, modelPath: modelPath)
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// Writes model bytes atomically.
    static func save(_ file: ModelFile, to path: String) throws {
        do {
            try Data(file.serialized()).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CommandFailure("cannot write model \(path): \(error.localizedDescription)")
        }
    }
}

/// `--engine lexicon|bayes|logreg|hybrid`, defaulting to `EngineKind.default`.
extension EngineKind: ExpressibleByArgument {}
