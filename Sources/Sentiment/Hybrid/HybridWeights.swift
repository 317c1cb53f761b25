/// A feature's Naive Bayes and logistic-regression weights in one table slot, so the
/// hybrid tokenises a text once and finds each token with one lookup for both models.
///
/// Each half is summed exactly as its own engine sums it (same fields, same order), so
/// the hybrid's base-learner inputs equal `BayesEngine` and `LogisticEngine` bit for bit.
struct HybridWeights: FeatureWeights {
    var bayes: ClassTriple
    var logit: LogitWeights

    static var zero: HybridWeights { HybridWeights(bayes: .zero, logit: .zero) }

    @inline(__always) mutating func add(_ other: HybridWeights) {
        bayes.add(other.bayes)
        logit.add(other.logit)
    }

    /// Each half repeats as in its own engine's table.
    var repeated: HybridWeights { HybridWeights(bayes: bayes.repeated, logit: logit.repeated) }
}
