import PipelineModel
import NDArray

/// The `bayes` engine: a Naive Bayes model applied with the tokenizer it was trained with.
///
/// `compound` is P(positive) − P(negative); `positive`/`neutral`/`negative` and
/// `probabilities` are the class probabilities.
public struct BayesEngine<Tokenizer: TextTokenizer>: SentimentEngine {
    /// `bayes`.
    public let name = "bayes"
    /// The model format and a fingerprint of the model's bytes.
    public let version: String
    /// English: the shipped model and `corpora/` are English; a model trained on another language is scored with `--score-languages`.
    public var languages: Set<String> { ["en"] }
    /// The trained model.
    public let model: NaiveBayesModel
    /// Splits texts like the training texts were split.
    public let tokenizer: Tokenizer
    /// The model laid out for prediction.
    let scores: FeatureScoreTable<ClassTriple>

    /// An engine for `model`; throws when `tokenizer` is not the one the model was trained with.
    public init(model: NaiveBayesModel, tokenizer: Tokenizer, fingerprint: String? = nil) throws {
        guard model.tokenizerIdentifier == tokenizer.identifier else {
            throw BayesError.tokenizer(model: model.tokenizerIdentifier, given: tokenizer.identifier)
        }
        self.model = model
        self.tokenizer = tokenizer
        self.scores = model.scoreTable()
        self.version = "nb\(ModelFile.formatVersion)" + (fingerprint.map { "-" + $0 } ?? "")
    }

    /// Document-term counts of `texts` over the model's vocabulary (presence for a binary model).
    public func counts(_ texts: [String]) -> SparseRowMatrix<Double> {
        model.vocabulary.counts(texts, tokenizer: tokenizer, binary: model.binary)
    }

    // Every shipped model uses `WordTokenizer`; without this the engine runs as unspecialised
    // generic code, copying table slots through value witnesses (twice as slow).
    /// log P(class | text), (texts × classes).
    @_specialize(where Tokenizer == WordTokenizer)
    public func logProbabilities(_ texts: [String]) -> NDArray<Double> {
        NaiveBayesModel.logProbabilities(joint: model.jointLogLikelihoods(texts, tokenizer: tokenizer, table: scores))
    }

    /// The most probable class of each text (the first in class order on a tie): batch
    /// prediction without building a count matrix or per-text results.
    @_specialize(where Tokenizer == WordTokenizer)
    public func predict(_ texts: [String]) -> [SentimentLabel] {
        NaiveBayesModel.labels(joint: model.jointLogLikelihoods(texts, tokenizer: tokenizer, table: scores))
    }

    /// Scores texts in one batch.
    public func score(_ texts: [String]) -> [SentimentResult] {
        let probabilities = logProbabilities(texts).exp()
        return Self.results(probabilities)
    }

    /// Results from a (texts × classes) probability matrix.
    static func results(_ probabilities: NDArray<Double>) -> [SentimentResult] {
        let rows = probabilities.shape[0]
        let labels = try! probabilities.argmax(axis: 1)
        let values = probabilities.scalars
        return (0..<rows).map { row in
            let p = Array(values[(row * 3)..<(row * 3 + 3)])
            return SentimentResult(
                label: SentimentLabel(index: labels[row])!,
                compound: p[SentimentLabel.positive.index] - p[SentimentLabel.negative.index],
                positive: p[SentimentLabel.positive.index],
                neutral: p[SentimentLabel.neutral.index],
                negative: p[SentimentLabel.negative.index],
                probabilities: p)
        }
    }
}
