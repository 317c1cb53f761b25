extension LexiconScorer {
    /// Sums the valences into VADER's compound and proportions, adding the `!`/`?`
    /// emphasis to whichever side dominates.
    func scores(of ws: Workspace) -> PolarityScores {
        let sentiments = ws.sentiments
        guard !sentiments.isEmpty else {
            return PolarityScores(negative: 0, neutral: 0, positive: 0, compound: 0)
        }
        var sum = 0.0
        for s in sentiments { sum += s }
        let emphasis = punctuationEmphasis(exclamations: ws.exclamations, questions: ws.questions)
        if sum > 0 { sum += emphasis } else if sum < 0 { sum -= emphasis }
        let compound = Self.normalize(sum)

        var positiveSum = 0.0
        var negativeSum = 0.0
        var neutralCount = 0.0
        for s in sentiments {
            // ±1 so that a sentiment word outweighs a neutral word, which counts 1.
            if s > 0 { positiveSum += s + 1 } else if s < 0 { negativeSum += s - 1 } else { neutralCount += 1 }
        }
        if positiveSum > abs(negativeSum) {
            positiveSum += emphasis
        } else if positiveSum < abs(negativeSum) {
            negativeSum -= emphasis
        }
        let total = positiveSum + abs(negativeSum) + neutralCount
        return PolarityScores(negative: Self.round(abs(negativeSum / total), digits: 3),
                              neutral: Self.round(abs(neutralCount / total), digits: 3),
                              positive: Self.round(abs(positiveSum / total), digits: 3),
                              compound: Self.round(compound, digits: 4))
    }

    private func punctuationEmphasis(exclamations: Int, questions: Int) -> Double {
        let exclamation = Double(min(exclamations, VaderRules.maxExclamations)) * VaderRules.exclamationIncrement
        var question = 0.0
        if questions > 1 {
            question = questions <= 3 ? Double(questions) * VaderRules.questionIncrement : VaderRules.questionCap
        }
        return exclamation + question
    }

    /// Maps an unbounded sum into −1…1: x / √(x² + α).
    static func normalize(_ score: Double) -> Double {
        let normalized = score / (score * score + VaderRules.normalizationAlpha).squareRoot()
        return min(1, max(-1, normalized))
    }

    /// Rounds half to even on the exact binary value, as Python's `round(x, digits)` does.
    static func round(_ x: Double, digits: Int) -> Double {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = x * scale
        // The exact product is scaled + error; the error decides near-ties.
        let error = fma(x, scale, -scaled)
        var rounded = scaled.rounded(.toNearestOrEven)
        let fraction = scaled - scaled.rounded(.down)
        if fraction == 0.5 && error != 0 {
            rounded = error > 0 ? scaled.rounded(.up) : scaled.rounded(.down)
        }
        return rounded / scale
    }

    @inline(__always)
    private static func fma(_ a: Double, _ b: Double, _ c: Double) -> Double {
        c.addingProduct(a, b)
    }
}
