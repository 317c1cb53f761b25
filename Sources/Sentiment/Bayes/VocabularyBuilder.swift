import NDArray

/// Builds a `Vocabulary` from training texts: every unigram and bigram seen at least
/// `minCount` times, unigrams first, each group in order of first appearance (so the
/// result, and any model saved from it, depends only on the texts and their order).
public struct VocabularyBuilder<Tokenizer: TextTokenizer>: Sendable {
    /// Splits texts into tokens.
    public let tokenizer: Tokenizer
    /// Minimum number of occurrences over all texts for a term to become a feature.
    public let minCount: Int

    /// A builder; `minCount` below 1 counts as 1.
    public init(tokenizer: Tokenizer, minCount: Int = 1) {
        self.tokenizer = tokenizer
        self.minCount = Swift.max(1, minCount)
    }

    /// The vocabulary of `texts` and their document-term counts over it, in one pass of
    /// tokenization.
    public func build(_ texts: [String]) -> (vocabulary: Vocabulary, counts: SparseRowMatrix<Double>) {
        var tokens = TokenTable(capacity: 4096)
        var pairs = PairTable(capacity: 4096)
        var tokenCounts: [Int] = []
        var pairCounts: [Int] = []
        // Occurrences per text: a token id ≥ 0, or a pair id p stored as −1 − p.
        var occurrences: [Int32] = []
        var textStarts: [Int] = [0]
        for text in texts {
            var previous = -1
            tokenizer.forEachToken(in: text) { bytes in
                let id = tokens.insert(bytes)
                if id == tokenCounts.count { tokenCounts.append(0) }
                tokenCounts[id] += 1
                occurrences.append(Int32(id))
                if previous >= 0 {
                    let pair = pairs.insert(previous, id)
                    if pair == pairCounts.count { pairCounts.append(0) }
                    pairCounts[pair] += 1
                    occurrences.append(Int32(-1 - pair))
                }
                previous = id
            }
            textStarts.append(occurrences.count)
        }

        var terms: [Vocabulary.Term] = []
        var tokenFeature = [Int32](repeating: -1, count: tokenCounts.count)
        for (id, total) in tokenCounts.enumerated() where total >= minCount {
            tokenFeature[id] = Int32(terms.count)
            terms.append(.unigram(tokens.string(id)))
        }
        var pairFeature = [Int32](repeating: -1, count: pairCounts.count)
        for (pair, total) in pairCounts.enumerated() where total >= minCount {
            let key = pairs.pairs[pair]
            pairFeature[pair] = Int32(terms.count)
            terms.append(.bigram(tokens.string(Int(key >> 32)), tokens.string(Int(key & 0xFFFF_FFFF))))
        }
        // Terms are distinct by construction (distinct ids in both tables).
        let vocabulary = Vocabulary(terms: terms)!

        var matrix = SparseRowMatrix<Double>(columnCount: terms.count)
        var row: [(column: Int, value: Double)] = []
        for t in 0..<texts.count {
            row.removeAll(keepingCapacity: true)
            for k in textStarts[t]..<textStarts[t + 1] {
                let occurrence = Int(occurrences[k])
                let feature = occurrence >= 0 ? tokenFeature[occurrence] : pairFeature[-1 - occurrence]
                if feature >= 0 { row.append((column: Int(feature), value: 1)) }
            }
            try! matrix.appendRow(row)
        }
        return (vocabulary, matrix)
    }
}
