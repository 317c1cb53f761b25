import PipelineModel
import NDArray

/// The `hybrid` engine: Naive Bayes and a lexicon engine, combined by a `HybridCombiner`
/// fitted on training data only.
public struct HybridEngine<Tokenizer: TextTokenizer>: SentimentEngine {
    /// `hybrid`.
    public let name = "hybrid"
    /// Versions of both parts.
    public let version: String
    /// The Naive Bayes part.
    public let bayes: BayesEngine<Tokenizer>
    /// The lexicon part (any engine giving VADER-style compound and proportions).
    public let lexicon: any SentimentEngine
    /// The learned combination.
    public let combiner: HybridCombiner

    /// A hybrid of `bayes` and `lexicon` combined by `combiner`.
    public init(bayes: BayesEngine<Tokenizer>, lexicon: any SentimentEngine, combiner: HybridCombiner) {
        self.bayes = bayes
        self.lexicon = lexicon
        self.combiner = combiner
        self.version = "\(bayes.version)+\(lexicon.name)-\(lexicon.version)"
    }

    /// Scores texts in one batch with both engines, then combines them.
    public func score(_ texts: [String]) -> [SentimentResult] {
        let features = HybridCombiner.features(bayesLogProbabilities: bayes.logProbabilities(texts),
                                               lexicon: lexicon.score(texts))
        return BayesEngine<Tokenizer>.results(combiner.probabilities(features))
    }
}
