import PipelineModel
import NDArray

/// The `hybrid` engine: Naive Bayes, logistic regression (in models that have one) and a
/// lexicon engine, combined by a `HybridCombiner` fitted on training data only.
///
/// `compound` is P(positive) − P(negative) of the calibrated probabilities: the expected
/// polarity on −1…1, comparable in sign and scale with the lexicon's compound, and near 0
/// when the engine is unsure rather than saturated (see lexicons/README.md).
public struct HybridEngine<Tokenizer: TextTokenizer>: SentimentEngine {
    /// `hybrid`.
    public let name = "hybrid"
    /// Versions of all parts.
    public let version: String
    /// The Naive Bayes part.
    public let bayes: BayesEngine<Tokenizer>
    /// The logistic-regression part, when the combiner uses one.
    public let logistic: LogisticEngine<Tokenizer>?
    /// The lexicon part (any engine giving VADER-style compound and proportions).
    public let lexicon: any SentimentEngine
    /// The learned combination.
    public let combiner: HybridCombiner

    /// A hybrid of `bayes`, `logistic` and `lexicon` combined by `combiner`.
    public init(bayes: BayesEngine<Tokenizer>, logistic: LogisticEngine<Tokenizer>? = nil,
                lexicon: any SentimentEngine, combiner: HybridCombiner) {
        precondition(combiner.usesLogistic == (logistic != nil), "the combiner's inputs and the parts disagree")
        self.bayes = bayes
        self.logistic = logistic
        self.lexicon = lexicon
        self.combiner = combiner
        self.version = "\(bayes.version)+\(lexicon.name)-\(lexicon.version)"
    }

    /// Scores texts in one batch with every part, then combines them.
    public func score(_ texts: [String]) -> [SentimentResult] {
        let features = HybridCombiner.features(bayesLogProbabilities: bayes.logProbabilities(texts),
                                               logisticLogProbabilities: logistic?.logProbabilities(texts),
                                               lexicon: lexicon.score(texts))
        return BayesEngine<Tokenizer>.results(combiner.probabilities(features))
    }
}
