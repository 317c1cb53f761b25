import Foundation

/// Builds the engines executables offer by name (`EngineKind`), from
/// the lexicon files and a model file (the shipped default under `lexicons/` unless a
/// path is given). The only place that reads engine files from disk.
public enum EngineCatalog {
    /// File name of the shipped default model, next to the lexicon files.
    public static let defaultModelName = "sentiment-default.model"

    /// Builds the engine `kind`; bayes, logreg and hybrid use the model at `modelPath`, or the default.
    public static func make(_ kind: EngineKind, modelPath: String? = nil) throws -> any SentimentEngine {
        switch kind {
        case .lexicon:
            return try lexicon()
        case .bayes:
            let (file, fingerprint) = try loadModel(modelPath)
            return try bayes(file.bayes, fingerprint: fingerprint)
        case .logreg:
            let (file, fingerprint) = try loadModel(modelPath)
            return try logistic(file, fingerprint: fingerprint)
        case .hybrid:
            let (file, fingerprint) = try loadModel(modelPath)
            guard let combiner = file.hybrid else {
                throw EngineCatalogError("model has no hybrid part: train it with `sentiment train --hybrid`")
            }
            return HybridEngine(bayes: try bayes(file.bayes, fingerprint: fingerprint),
                                logistic: combiner.usesLogistic ? try logistic(file, fingerprint: fingerprint) : nil,
                                lexicon: try lexicon(), combiner: combiner)
        }
    }

    /// The lexicon scorer from the located lexicon files.
    public static func lexicon() throws -> LexiconScorer {
        do {
            return try LexiconScorer.load()
        } catch {
            throw EngineCatalogError("cannot load the lexicon engine: \(error)")
        }
    }

    /// Reads and checks a model file (`path`, or the default); the fingerprint is the hex
    /// of its trailing checksum, so scored posts name the exact model.
    public static func loadModel(_ path: String?) throws -> (ModelFile, String) {
        guard let path = path ?? defaultModelPath() else {
            throw EngineCatalogError("no model given and \(defaultModelName) not found next to the lexicons "
                + "(tried \(LexiconFiles.candidates().map(\.path).joined(separator: ", "))): pass --model PATH")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EngineCatalogError("cannot read model \(path)")
        }
        let bytes = [UInt8](data)
        do {
            let file = try ModelFile(bytes: bytes)
            let fingerprint = bytes.suffix(4).map { byte in
                let hex = String(byte, radix: 16)
                return hex.count == 1 ? "0" + hex : hex
            }.joined()
            return (file, fingerprint)
        } catch {
            throw EngineCatalogError("model \(path): \(error)")
        }
    }

    /// The default model in the first lexicon folder that has it.
    public static func defaultModelPath() -> String? {
        for folder in LexiconFiles.candidates() {
            let path = folder.appendingPathComponent(defaultModelName).path
            if FileManager.default.isReadableFile(atPath: path) { return path }
        }
        return nil
    }

    private static func logistic(_ file: ModelFile, fingerprint: String) throws -> LogisticEngine<WordTokenizer> {
        guard let model = file.logistic else {
            throw EngineCatalogError("model has no logistic-regression part: retrain it with `sentiment train`")
        }
        do {
            return try LogisticEngine(model: model, vocabulary: file.bayes.vocabulary, tokenizer: WordTokenizer(),
                                      fingerprint: fingerprint)
        } catch {
            throw EngineCatalogError("unusable model: \(error)")
        }
    }

    private static func bayes(_ model: NaiveBayesModel, fingerprint: String) throws -> BayesEngine<WordTokenizer> {
        do {
            return try BayesEngine(model: model, tokenizer: WordTokenizer(), fingerprint: fingerprint)
        } catch {
            throw EngineCatalogError("unusable model: \(error)")
        }
    }
}

/// An engine could not be built (missing or unusable lexicon or model file).
public struct EngineCatalogError: Error, CustomStringConvertible {
    /// One line naming the file and the problem.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
