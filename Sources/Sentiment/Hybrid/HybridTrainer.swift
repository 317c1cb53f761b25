import PipelineModel
import NDArray

/// Trains the hybrid engine on a training part only, by stacking:
///
/// 1. the training tweets are cut into stratified folds; for each fold a Naive Bayes
///    model is trained on the other folds (plus the extra texts) and predicts the fold,
///    so every tweet gets NB log-probabilities from a model that never saw it;
/// 2. the combiner is fitted on those out-of-fold log-probabilities and the lexicon
///    engine's scores;
/// 3. the final Naive Bayes model is trained on all training tweets plus the extra texts.
///
/// Model selection uses the training part only: the class-weight power and a per-class
/// logit offset (a decision-threshold shift that trades the frequent classes against the
/// rare neutral one) are chosen together by the macro-F1 of a 3-fold cross-validation of
/// the combiner over the training tweets' out-of-fold features. The held-out test part is
/// never seen while training or choosing.
public struct HybridTrainer<Tokenizer: TextTokenizer>: Sendable {
    /// Tokenizer for every Naive Bayes model.
    public var tokenizer: Tokenizer
    /// Naive Bayes smoothing.
    public var alpha: Double
    /// Minimum term count for the vocabulary.
    public var minCount: Int
    /// Number of cross-validation folds for the out-of-fold predictions.
    public var folds: Int = 5
    /// Class-weight powers tried for the combiner (see `HybridCombiner.fit`).
    public var classWeightPowers: [Double] = [0, 0.5, 1]

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
        let choice = try bestSettings(features: features, labels: labels)
        let fitted = try HybridCombiner.fit(features: features, labels: labels,
                                            lexiconEngine: "\(lexicon.name)-\(lexicon.version)",
                                            classWeightPower: choice.power)
        let combiner = try HybridCombiner(lexiconEngine: fitted.lexiconEngine, means: fitted.means,
                                          scales: fitted.scales,
                                          regression: fitted.regression.shiftingLogits(by: choice.offsets))
        let bayes = try NaiveBayesModel.train(texts: extra.map(\.text) + texts, labels: extra.map(\.label) + labels,
                                              tokenizer: tokenizer, alpha: alpha, minCount: minCount)
        return ModelFile(bayes: bayes, hybrid: combiner)
    }

    /// Logit offsets tried for the negative and neutral classes (positive stays at 0).
    static var offsetGrid: [Double] { (-10...15).map { Double($0) / 10 } }

    /// The class-weight power and per-class logit offsets with the best macro-F1 in a
    /// 3-fold cross-validation over the training rows only (earlier candidates win ties;
    /// zero offsets are tried first).
    func bestSettings(features: NDArray<Double>, labels: [SentimentLabel]) throws
        -> (power: Double, offsets: [Double]) {
        let folds = CorpusSplit.folds(labels: labels, count: 3, seed: 1)
        let columns = features.shape[1]
        let rows = features.scalars
        func subset(_ indices: [Int]) throws -> NDArray<Double> {
            try NDArray(shape: [indices.count, columns],
                        scalars: indices.flatMap { rows[($0 * columns)..<(($0 + 1) * columns)] })
        }
        let offsets = [0.0] + Self.offsetGrid.filter { $0 != 0 }
        var best = (power: classWeightPowers.first ?? 1, offsets: [0.0, 0, 0], score: -1.0)
        for power in classWeightPowers.isEmpty ? [1] : classWeightPowers {
            // Out-of-fold log-probabilities of the combiner for every training row.
            var logP = [Double](repeating: 0, count: labels.count * 3)
            for fold in folds {
                let held = Set(fold)
                let kept = labels.indices.filter { !held.contains($0) }
                let combiner = try HybridCombiner.fit(features: subset(kept), labels: kept.map { labels[$0] },
                                                      lexiconEngine: "", classWeightPower: power)
                let p = combiner.probabilities(try subset(fold)).scalars
                for (k, position) in fold.enumerated() {
                    for c in 0..<3 { logP[position * 3 + c] = Swift.max(-50, Double.logarithm(p[k * 3 + c])) }
                }
            }
            for negative in offsets {
                for neutral in offsets {
                    var matrix = ConfusionMatrix()
                    for (row, gold) in labels.enumerated() {
                        let a = logP[row * 3] + negative, b = logP[row * 3 + 1] + neutral, c = logP[row * 3 + 2]
                        let index = c > Swift.max(a, b) ? 2 : (b > a ? 1 : 0)
                        matrix.record(gold: gold, predicted: SentimentLabel(index: index)!)
                    }
                    if matrix.macroF1 > best.score { best = (power, [negative, neutral, 0], matrix.macroF1) }
                }
            }
        }
        return (best.power, best.offsets)
    }
}
