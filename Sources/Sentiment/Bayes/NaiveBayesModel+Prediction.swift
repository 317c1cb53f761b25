import PipelineModel
import NDArray

extension NaiveBayesModel {
    /// The model's prediction-time tables (see `FeatureScoreTable`); engines build them once.
    func scoreTable() -> FeatureScoreTable<ClassTriple> {
        FeatureScoreTable(terms: vocabulary.terms, weights: featureWeights(), presence: binary)
    }

    /// log P(feature | class) of every vocabulary term, in column order.
    func featureWeights() -> [ClassTriple] {
        let logP = classifier.featureLogProbabilities.scalars
        return (0..<vocabulary.count).map {
            ClassTriple(w0: logP[$0 * 3], w1: logP[$0 * 3 + 1], w2: logP[$0 * 3 + 2])
        }
    }

    /// log P(class) + Σ log P(feature | class) for each text, (texts × classes) row-major,
    /// straight from the tokens: no count matrix is built. The additions happen in the
    /// order `SparseRowMatrix.matmul` does them, so the results equal
    /// `classifier.jointLogLikelihood(vocabulary.counts(texts))` bit for bit.
    func jointLogLikelihoods(_ texts: [String], tokenizer: some TextTokenizer, table: FeatureScoreTable<ClassTriple>) -> [Double] {
        let priors = classifier.classLogPriors.scalars
        let (prior0, prior1, prior2) = (priors[0], priors[1], priors[2])
        return [Double](unsafeUninitializedCapacity: texts.count * 3) { out, initialized in
            for (row, text) in texts.enumerated() {
                let s = table.sums(of: text, tokenizer: tokenizer)
                out[row * 3] = s.w0 + prior0
                out[row * 3 + 1] = s.w1 + prior1
                out[row * 3 + 2] = s.w2 + prior2
            }
            initialized = texts.count * 3
        }
    }

    /// The most probable class of each row of joint log-likelihoods (the first in class
    /// order on a tie, like `NDArray.argmax`).
    static func labels(joint: [Double]) -> [SentimentLabel] {
        (0..<(joint.count / 3)).map { row in
            let a = joint[row * 3], b = joint[row * 3 + 1], c = joint[row * 3 + 2]
            let best = c > Swift.max(a, b) ? 2 : (b > a ? 1 : 0)
            return SentimentLabel(index: best)!
        }
    }

    /// log P(class | text) from joint log-likelihoods, (texts × classes), normalised with
    /// log-sum-exp in the same order as `NDArray.logSumExp`.
    static func logProbabilities(joint: [Double]) -> NDArray<Double> {
        var values = joint
        let rows = joint.count / 3
        for row in 0..<rows {
            let base = row * 3
            let top = Swift.max(values[base], values[base + 1], values[base + 2])
            // As `NDArray.logSumExp`: an all −∞ (or +∞) row is normalised by its maximum.
            var normaliser = top
            if top.isFinite {
                let sum = Double.exponential(values[base] - top) + Double.exponential(values[base + 1] - top)
                    + Double.exponential(values[base + 2] - top)
                normaliser += Double.logarithm(sum)
            }
            for c in 0..<3 { values[base + c] -= normaliser }
        }
        return try! NDArray(shape: [rows, 3], scalars: values)
    }
}
