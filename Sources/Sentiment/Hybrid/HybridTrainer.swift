import PipelineModel
import NDArray

/// Trains the hybrid engine by stacking, on a training part, with every setting chosen on
/// a separate dev part (the test parts of a corpus are never seen):
///
/// 1. the training texts are cut into stratified folds; for each fold Naive Bayes and the
///    logistic regression are trained on the other folds (plus the extra texts) and predict
///    the fold, so every text gets base-learner log-probabilities from models that never saw it;
/// 2. the combiner is fitted on those out-of-fold log-probabilities and the lexicon engine's
///    scores and label, once per class-weight power and source weighting (as they come, or
///    every training corpus with the same total weight), then given each lexicon vote strength;
/// 3. the final base learners are trained on all training texts plus the extra texts and
///    score the dev part; of every combiner and per-class logit offsets, those that keep the
///    hybrid at or above the lexicon's macro-F1 on each dev source win, and among them the
///    best dev macro-F1 averaged over the sources (so each corpus counts the same); when none
///    keeps that floor, the one closest to it. Then a temperature is fitted on dev to
///    calibrate the probabilities.
public struct HybridTrainer<Tokenizer: TextTokenizer>: Sendable {
    /// Tokenizer for every base model.
    public var tokenizer: Tokenizer
    /// Naive Bayes smoothing.
    public var alpha: Double
    /// Minimum term count for the vocabulary (shared by both base learners).
    public var minCount: Int
    /// L2 strength of the logistic regression.
    public var l2 = LogisticModel.defaultL2
    /// Whether Naive Bayes counts presence rather than occurrences (`NaiveBayesModel.binary`).
    public var binary = false
    /// Number of cross-validation folds for the out-of-fold predictions.
    public var folds: Int = 5
    /// Class-weight powers tried for the combiner (see `HybridCombiner.fit`).
    public var classWeightPowers: [Double] = [0, 0.5, 1]
    /// Whether combiners whose training corpora (`source`) weigh the same in total are tried
    /// too: the lexicon is strongest on tweets, a small part of the training mix.
    public var triesSourceBalance = true
    /// Strengths of the lexicon's vote tried on dev (`HybridCombiner.addingLexiconVote`).
    public var lexiconVotes: [Double] = [0, 0.5, 1, 2, 4, 8]

    /// A trainer with the Naive Bayes settings.
    public init(tokenizer: Tokenizer, alpha: Double, minCount: Int) {
        self.tokenizer = tokenizer
        self.alpha = alpha
        self.minCount = minCount
    }

    /// Trains on `tweets` with a dev part carved from them (15 %, stratified, seed 1) and
    /// `extra` texts used by the base learners only — for data without its own dev part.
    public func train(tweets: [LabelledText], extra: [LabelledText], lexicon: any SentimentEngine) throws
        -> ModelFile {
        let split = CorpusSplit(labels: tweets.map(\.label), testFraction: 0.15, seed: 1)
        return try train(train: split.trainIndices.map { tweets[$0] }, dev: split.testIndices.map { tweets[$0] },
                         extra: extra, lexicon: lexicon)
    }

    /// Trains on `train` (base learners out-of-fold, combiner), chooses settings and the
    /// temperature on `dev`; `extra` texts are added to every base learner's training only.
    public func train(train: [LabelledText], dev: [LabelledText], extra: [LabelledText] = [],
                      lexicon: any SentimentEngine) throws -> ModelFile {
        guard !dev.isEmpty else { throw BayesError.noDocuments }
        let labels = train.map(\.label)
        let texts = train.map(\.text)
        var bayesOutOfFold = [Double](repeating: 0, count: train.count * 3)
        var logisticOutOfFold = bayesOutOfFold
        for fold in CorpusSplit.folds(labels: labels, count: folds) {
            let held = Set(fold)
            let kept = train.indices.filter { !held.contains($0) }
            let (bayes, logistic) = try baseEngines(texts: extra.map(\.text) + kept.map { texts[$0] },
                                                    labels: extra.map(\.label) + kept.map { labels[$0] })
            let foldTexts = fold.map { texts[$0] }
            let nb = bayes.logProbabilities(foldTexts).scalars, lr = logistic.logProbabilities(foldTexts).scalars
            for (k, position) in fold.enumerated() {
                for c in 0..<3 {
                    bayesOutOfFold[position * 3 + c] = nb[k * 3 + c]
                    logisticOutOfFold[position * 3 + c] = lr[k * 3 + c]
                }
            }
        }
        let features = HybridCombiner.features(
            bayesLogProbabilities: try NDArray(shape: [train.count, 3], scalars: bayesOutOfFold),
            logisticLogProbabilities: try NDArray(shape: [train.count, 3], scalars: logisticOutOfFold),
            lexicon: lexicon.score(texts))
        let (bayes, logistic) = try baseEngines(texts: extra.map(\.text) + texts, labels: extra.map(\.label) + labels)
        let devTexts = dev.map(\.text)
        let devLexicon = lexicon.score(devTexts)
        let devFeatures = HybridCombiner.features(bayesLogProbabilities: bayes.logProbabilities(devTexts),
                                                  logisticLogProbabilities: logistic.logProbabilities(devTexts),
                                                  lexicon: devLexicon)
        let floors = Self.sourceMacroF1(predicted: devLexicon.map(\.label), dev: dev)
        var best: (combiner: HybridCombiner, offsets: [Double], score: DevScore)?
        for balanced in triesSourceBalance ? [false, true] : [false] {
            let rowWeights = balanced ? Self.sourceBalancedWeights(train) : nil
            for power in classWeightPowers.isEmpty ? [1] : classWeightPowers {
                let fitted = try HybridCombiner.fit(features: features, labels: labels,
                                                    lexiconEngine: "\(lexicon.name)-\(lexicon.version)",
                                                    classWeightPower: power, rowWeights: rowWeights)
                for vote in lexiconVotes.isEmpty ? [0] : lexiconVotes {
                    let combiner = fitted.addingLexiconVote(vote)
                    let logP = combiner.probabilities(devFeatures).log().scalars
                    let (offsets, score) = Self.bestOffsets(logP: logP, dev: dev, floors: floors)
                    if best == nil || best!.score < score { best = (combiner, offsets, score) }
                }
            }
        }
        let chosen = best!
        let shifted = chosen.combiner.regression.shiftingLogits(by: chosen.offsets)
        let devLogP = try shifted.probabilities(
            (devFeatures - NDArray(chosen.combiner.means)) / NDArray(chosen.combiner.scales)).log().scalars
        let temperature = Calibration.temperature(
            logits: (0..<dev.count).map { Array(devLogP[($0 * 3)..<($0 * 3 + 3)]) }, gold: dev.map(\.label))
        let combiner = chosen.combiner.replacingRegression(shifted.dividingLogits(by: temperature))
        return ModelFile(bayes: bayes.model, hybrid: combiner, logistic: logistic.model)
    }

    /// Naive Bayes and logistic regression over the same vocabulary, trained on `texts`.
    public func baseEngines(texts: [String], labels: [SentimentLabel]) throws
        -> (BayesEngine<Tokenizer>, LogisticEngine<Tokenizer>) {
        let bayes = try NaiveBayesModel.train(texts: texts, labels: labels, tokenizer: tokenizer, alpha: alpha,
                                              minCount: minCount, binary: binary)
        let logistic = try LogisticModel.train(texts: texts, labels: labels, vocabulary: bayes.vocabulary,
                                               tokenizer: tokenizer, l2: l2)
        return (try BayesEngine(model: bayes, tokenizer: tokenizer),
                try LogisticEngine(model: logistic, vocabulary: bayes.vocabulary, tokenizer: tokenizer))
    }

    /// Logit offsets tried for the negative and neutral classes (positive stays at 0).
    static var offsetGrid: [Double] { (-10...15).map { Double($0) / 10 } }

    /// How good a setting is on dev: keeping the floor (each source's macro-F1 at least the
    /// lexicon's) beats not keeping it; then the mean macro-F1 over sources, or, below the
    /// floor, the smallest margin to it.
    struct DevScore: Comparable {
        var keepsFloor: Bool
        var value: Double
        static func < (lhs: DevScore, rhs: DevScore) -> Bool {
            lhs.keepsFloor == rhs.keepsFloor ? lhs.value < rhs.value : rhs.keepsFloor
        }
    }

    /// Macro-F1 of `predicted` on each source of `dev`, in sorted source order.
    static func sourceMacroF1(predicted: [SentimentLabel], dev: [LabelledText]) -> [Double] {
        let sources = Array(Set(dev.map { $0.source ?? "" })).sorted()
        var matrices = [ConfusionMatrix](repeating: ConfusionMatrix(), count: sources.count)
        for (item, label) in zip(dev, predicted) {
            matrices[sources.firstIndex(of: item.source ?? "")!].record(gold: item.label, predicted: label)
        }
        return matrices.map(\.macroF1)
    }

    /// Row weights giving every source of `train` the same total (mean weight 1).
    static func sourceBalancedWeights(_ train: [LabelledText]) -> [Double] {
        var counts: [String: Int] = [:]
        for item in train { counts[item.source ?? "", default: 0] += 1 }
        let scale = Double(train.count) / Double(counts.count)
        return train.map { scale / Double(counts[$0.source ?? ""]!) }
    }

    /// The negative and neutral logit offsets with the best `DevScore` against `floors`
    /// (per source, sorted source order; none: no floor). Earlier candidates win ties; zero first.
    static func bestOffsets(logP: [Double], dev: [LabelledText], floors: [Double]? = nil)
        -> (offsets: [Double], score: DevScore) {
        let sources = Array(Set(dev.map { $0.source ?? "" })).sorted()
        let sourceIndex = dev.map { sources.firstIndex(of: $0.source ?? "")! }
        let offsets = [0.0] + offsetGrid.filter { $0 != 0 }
        // Gold labels apart from the texts: this loop runs 676 times per combiner, and walking
        // `dev` itself would copy (retain and release) every item's strings each time.
        let gold = dev.map(\.label)
        var best = (offsets: [0.0, 0, 0], score: DevScore(keepsFloor: false, value: -.infinity))
        for negative in offsets {
            for neutral in offsets {
                var matrices = [ConfusionMatrix](repeating: ConfusionMatrix(), count: sources.count)
                for row in gold.indices {
                    let a = logP[row * 3] + negative, b = logP[row * 3 + 1] + neutral, c = logP[row * 3 + 2]
                    let index = c > Swift.max(a, b) ? 2 : (b > a ? 1 : 0)
                    matrices[sourceIndex[row]].record(gold: gold[row], predicted: SentimentLabel(index: index)!)
                }
                let f1 = matrices.map(\.macroF1)
                let margin = floors.map { floors in zip(f1, floors).map { $0 - $1 }.min()! } ?? 0
                let score = margin >= 0 ? DevScore(keepsFloor: true, value: f1.reduce(0, +) / Double(sources.count))
                    : DevScore(keepsFloor: false, value: margin)
                if best.score < score { best = ([negative, neutral, 0], score) }
            }
        }
        return best
    }
}
