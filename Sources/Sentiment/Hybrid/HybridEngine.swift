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
    /// English: its lexicon is English and its learners are trained on the English `corpora/`.
    public var languages: Set<String> { ["en"] }
    /// The Naive Bayes part.
    public let bayes: BayesEngine<Tokenizer>
    /// The logistic-regression part, when the combiner uses one.
    public let logistic: LogisticEngine<Tokenizer>?
    /// The lexicon part (any engine giving VADER-style compound and proportions).
    public let lexicon: any SentimentEngine
    /// The learned combination.
    public let combiner: HybridCombiner
    /// Both base learners' weights per feature, when there is a logistic part: one
    /// tokenisation and one lookup per token serve both (scoring is bound by lookups).
    let sharedTable: FeatureScoreTable<HybridWeights>?

    /// A hybrid of `bayes`, `logistic` and `lexicon` combined by `combiner`.
    public init(bayes: BayesEngine<Tokenizer>, logistic: LogisticEngine<Tokenizer>? = nil,
                lexicon: any SentimentEngine, combiner: HybridCombiner) {
        precondition(combiner.usesLogistic == (logistic != nil), "the combiner's inputs and the parts disagree")
        self.bayes = bayes
        self.logistic = logistic
        self.lexicon = lexicon
        self.combiner = combiner
        self.sharedTable = logistic.map { logistic in
            FeatureScoreTable(terms: bayes.model.vocabulary.terms,
                              weights: zip(bayes.model.featureWeights(), logistic.model.streamingWeights())
                                .map { HybridWeights(bayes: $0, logit: $1) },
                              presence: bayes.model.binary)
        }
        self.version = "\(bayes.version)+\(lexicon.name)-\(lexicon.version)"
    }

    // Every shipped model uses `WordTokenizer`; without this the engine runs as unspecialised
    // generic code, copying table slots through value witnesses (twice as slow).
    /// Scores texts in one batch with every part, then combines them.
    @_specialize(where Tokenizer == WordTokenizer)
    public func score(_ texts: [String]) -> [SentimentResult] {
        let lexiconResults = lexicon.score(texts)
        guard let logistic, let sharedTable else {
            let features = HybridCombiner.features(bayesLogProbabilities: bayes.logProbabilities(texts),
                                                   lexicon: lexiconResults)
            return BayesEngine<Tokenizer>.results(combiner.probabilities(features))
        }
        let priors = bayes.model.classifier.classLogPriors.scalars
        let bias = logistic.model.regression.bias
        var bayesJoint = [Double](repeating: 0, count: texts.count * 3)
        var logits = bayesJoint
        for (row, text) in texts.enumerated() {
            let sums = sharedTable.sums(of: text, tokenizer: bayes.tokenizer)
            bayesJoint[row * 3] = sums.bayes.w0 + priors[0]
            bayesJoint[row * 3 + 1] = sums.bayes.w1 + priors[1]
            bayesJoint[row * 3 + 2] = sums.bayes.w2 + priors[2]
            let z = sums.logit.logits(bias: bias)
            logits[row * 3] = z.0
            logits[row * 3 + 1] = z.1
            logits[row * 3 + 2] = z.2
        }
        let features = HybridCombiner.features(
            bayesLogProbabilities: NaiveBayesModel.logProbabilities(joint: bayesJoint),
            logisticLogProbabilities: NaiveBayesModel.logProbabilities(joint: logits), lexicon: lexiconResults)
        return BayesEngine<Tokenizer>.results(combiner.probabilities(features))
    }
}
