import NDArray

/// Trains the hybrid engine on a training part only, by stacking:
///
/// 1. the training tweets are cut into stratified folds; for each fold a Naive Bayes
///    model is trained on the other folds (plus the extra texts) and predicts the fold,
///    so every tweet gets NB log-probabilities from a model that never saw it;
/// 2. the combiner is fitted on those out-of-fold log-probabilities and the lexicon
///    engine's scores;
/// 3. the final Naive Bayes model is trained on all training tweets plus the extra texts.
public struct HybridTrainer<Tokenizer: TextTokenizer>: Sendable {
    /// Tokenizer for every Naive Bayes model.
    public var tokenizer: Tokenizer
    /// Naive Bayes smoothing.
    public var alpha: Double
    /// Minimum term count for the vocabulary.
    public var minCount: Int
    /// Number of cross-validation folds for the out-of-fold predictions.
    public var folds: Int = 5

    /// A trainer with the Naive Bayes settings.
    public init(tokenizer: Tokenizer, alpha: Double, minCount: Int) {
        self.tokenizer = tokenizer
        self.alpha = alpha
        self.minCount = minCount
    }

    /// Trains on `tweets` (the combiner's data) and `extra` (used by Naive Bayes only).
    public func train(tweets: [LabelledText], extra: [LabelledText], lexicon: any SentimentEngine) throws
        -> ModelFile {
        let labels = tweets.map(\.label)
        let texts = tweets.map(\.text)
        var outOfFold = [Double](repeating: 0, count: tweets.count * 3)
        for fold in CorpusSplit.folds(labels: labels, count: folds) {
            let held = Set(fold)
            let kept = tweets.indices.filter { !held.contains($0) }
            let model = try NaiveBayesModel.train(
                texts: extra.map(\.text) + kept.map { texts[$0] },
                labels: extra.map(\.label) + kept.map { labels[$0] },
                tokenizer: tokenizer, alpha: alpha, minCount: minCount)
            let engine = try BayesEngine(model: model, tokenizer: tokenizer)
            let logP = engine.logProbabilities(fold.map { texts[$0] }).scalars
            for (k, position) in fold.enumerated() {
                for c in 0..<3 { outOfFold[position * 3 + c] = logP[k * 3 + c] }
            }
        }
        let features = HybridCombiner.features(
            bayesLogProbabilities: try NDArray(shape: [tweets.count, 3], scalars: outOfFold),
            lexicon: lexicon.score(texts))
        let combiner = try HybridCombiner.fit(features: features, labels: labels,
                                              lexiconEngine: "\(lexicon.name)-\(lexicon.version)")
        let bayes = try NaiveBayesModel.train(texts: extra.map(\.text) + texts, labels: extra.map(\.label) + labels,
                                              tokenizer: tokenizer, alpha: alpha, minCount: minCount)
        return ModelFile(bayes: bayes, hybrid: combiner)
    }
}
