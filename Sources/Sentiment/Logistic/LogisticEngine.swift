import PipelineModel
import NDArray

/// The `logreg` engine: multinomial logistic regression over TF-IDF unigrams and bigrams.
///
/// `compound` is P(positive) − P(negative), the expected polarity; `positive`/`neutral`/
/// `negative` and `probabilities` are the class probabilities.
public struct LogisticEngine<Tokenizer: TextTokenizer>: SentimentEngine {
    /// `logreg`.
    public let name = "logreg"
    /// The model format and a fingerprint of the model's bytes.
    public let version: String
    /// English: the shipped model and `corpora/` are English; a model trained on another language is scored with `--score-languages`.
    public var languages: Set<String> { ["en"] }
    /// The fitted model.
    public let model: LogisticModel
    /// The vocabulary the model's columns refer to.
    public let vocabulary: Vocabulary
    /// Splits texts like the training texts were split.
    public let tokenizer: Tokenizer
    let table: FeatureScoreTable<LogitWeights>

    /// An engine for `model` over `vocabulary` (the Naive Bayes model's terms).
    public init(model: LogisticModel, vocabulary: Vocabulary, tokenizer: Tokenizer, fingerprint: String? = nil) throws {
        guard model.regression.featureCount == vocabulary.count else {
            throw BayesError.countsShape([model.regression.featureCount, vocabulary.count])
        }
        self.model = model
        self.vocabulary = vocabulary
        self.tokenizer = tokenizer
        self.table = FeatureScoreTable(terms: vocabulary.terms, weights: model.streamingWeights())
        self.version = "lr\(ModelFile.formatVersion)" + (fingerprint.map { "-" + $0 } ?? "")
    }

    // Every shipped model uses `WordTokenizer`; without this the engine runs as unspecialised
    // generic code, copying table slots through value witnesses (twice as slow).
    /// log P(class | text), (texts × classes), in one pass over each text's tokens.
    @_specialize(where Tokenizer == WordTokenizer)
    public func logProbabilities(_ texts: [String]) -> NDArray<Double> {
        let bias = model.regression.bias
        let logits = [Double](unsafeUninitializedCapacity: texts.count * 3) { out, initialized in
            for (row, text) in texts.enumerated() {
                let z = table.sums(of: text, tokenizer: tokenizer).logits(bias: bias)
                out[row * 3] = z.0
                out[row * 3 + 1] = z.1
                out[row * 3 + 2] = z.2
            }
            initialized = texts.count * 3
        }
        return NaiveBayesModel.logProbabilities(joint: logits)
    }

    /// Scores texts in one batch.
    public func score(_ texts: [String]) -> [SentimentResult] {
        BayesEngine<Tokenizer>.results(logProbabilities(texts).exp())
    }
}
