import ArgumentParser
import Foundation
import Sentiment

/// The engines `--engine` accepts.
enum EngineKind: String, CaseIterable, ExpressibleByArgument {
    case lexicon, bayes, hybrid
}

/// Builds engines and finds, loads and saves model files for the subcommands.
enum EngineFactory {
    /// File name of the shipped default model under `lexicons/`.
    static let defaultModelName = "sentiment-default.model"

    /// The lexicon engine, or nil while this build has none.
    static func lexiconEngine() throws -> (any SentimentEngine)? {
        nil
    }

    /// The engine `kind`, with the model at `modelPath` (or the default model) for bayes/hybrid.
    static func make(_ kind: EngineKind, modelPath: String?) throws -> any SentimentEngine {
        switch kind {
        case .lexicon:
            guard let lexicon = try lexiconEngine() else {
                throw CommandFailure("the lexicon engine is not available in this build")
            }
            return lexicon
        case .bayes:
            let (file, fingerprint) = try loadModel(modelPath)
            return try bayesEngine(file.bayes, fingerprint: fingerprint)
        case .hybrid:
            let (file, fingerprint) = try loadModel(modelPath)
            guard let combiner = file.hybrid else {
                throw CommandFailure("model has no hybrid part: train it with `sentiment train --hybrid`")
            }
            guard let lexicon = try lexiconEngine() else {
                throw CommandFailure("the hybrid engine needs the lexicon engine, which this build lacks")
            }
            return HybridEngine(bayes: try bayesEngine(file.bayes, fingerprint: fingerprint),
                                lexicon: lexicon, combiner: combiner)
        }
    }

    private static func bayesEngine(_ model: NaiveBayesModel, fingerprint: String) throws -> BayesEngine<WordTokenizer> {
        do {
            return try BayesEngine(model: model, tokenizer: WordTokenizer(), fingerprint: fingerprint)
        } catch {
            throw CommandFailure("unusable model: \(error)")
        }
    }

    /// Reads and checks a model file; the fingerprint is its checksum in hex.
    static func loadModel(_ path: String?) throws -> (ModelFile, String) {
        guard let path = path ?? defaultModelPath() else {
            throw CommandFailure("no model given and \(defaultModelName) not found under lexicons/: pass --model PATH")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("cannot read model \(path)")
        }
        let bytes = [UInt8](data)
        do {
            let file = try ModelFile(bytes: bytes)
            let fingerprint = bytes.suffix(4).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
            return (file, fingerprint)
        } catch {
            throw CommandFailure("model \(path): \(error)")
        }
    }

    /// `lexicons/<default>` in the current directory or above the executable (so
    /// `.build/release/sentiment` finds the checkout's copy).
    static func defaultModelPath() -> String? {
        var candidates = [FileManager.default.currentDirectoryPath]
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(folder.path)
            folder.deleteLastPathComponent()
        }
        for candidate in candidates {
            let path = candidate + "/lexicons/" + defaultModelName
            if FileManager.default.isReadableFile(atPath: path) { return path }
        }
        return nil
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

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
