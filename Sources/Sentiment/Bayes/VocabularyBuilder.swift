import PipelineModel
import NDArray

/// Builds a `Vocabulary` from training texts: every unigram and bigram seen at least
/// `minCount` times, unigrams first, each group in order of first appearance (so the
/// result, and any model saved from it, depends only on the texts and their order).
///
/// Tokens are interned straight from the tokenizer's bytes (`TokenTable`) and bigrams
/// are pairs of token ids (`PairTable`): no `String` and no per-document dictionary is
/// built while counting, and the vocabulary reuses the tables instead of re-hashing terms.
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
        let (vocabulary, tokenFeature, pairFeature) = select(tokens: tokens, pairs: pairs,
                                                             tokenTotal: { tokenCounts[$0] },
                                                             pairTotal: { pairCounts[$0] })
        var matrix = SparseRowMatrix<Double>(columnCount: vocabulary.count)
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

    /// The vocabulary of `texts` and, for each feature, its occurrences per class
    /// (features × classes, row-major) — exactly the sufficient statistics of Multinomial
    /// Naive Bayes — plus the number of texts per class. One tokenization pass; counts go
    /// straight into per-token and per-pair class counters.
    func countByClass(_ texts: [String], labels: [SentimentLabel])
        -> (vocabulary: Vocabulary, featureCounts: [Double], documents: [Double]) {
        precondition(texts.count == labels.count, "one label per text")
        let classes = SentimentLabel.classes.count
        var tokens = TokenTable(capacity: 16_384)
        var pairs = PairTable(capacity: 65_536)
        var tokenCounts: [Int32] = []
        var pairCounts: [Int32] = []
        var documents = [Double](repeating: 0, count: classes)
        tokenCounts.reserveCapacity(16_384 * classes)
        pairCounts.reserveCapacity(65_536 * classes)
        for (text, label) in zip(texts, labels) {
            let c = label.index
            documents[c] += 1
            var previous = -1
            tokenizer.forEachToken(in: text) { bytes in
                let id = tokens.insert(bytes)
                if id * classes == tokenCounts.count { tokenCounts.append(contentsOf: repeatElement(0, count: classes)) }
                tokenCounts[id * classes + c] &+= 1
                if previous >= 0 {
                    let pair = pairs.insert(previous, id)
                    if pair * classes == pairCounts.count {
                        pairCounts.append(contentsOf: repeatElement(0, count: classes))
                    }
                    pairCounts[pair * classes + c] &+= 1
                }
                previous = id
            }
        }
        func total(_ counts: [Int32], _ id: Int) -> Int {
            var sum = 0
            for c in 0..<classes { sum += Int(counts[id * classes + c]) }
            return sum
        }
        let (vocabulary, tokenFeature, pairFeature) = select(tokens: tokens, pairs: pairs,
                                                             tokenTotal: { total(tokenCounts, $0) },
                                                             pairTotal: { total(pairCounts, $0) })
        var featureCounts = [Double](repeating: 0, count: vocabulary.count * classes)
        for (id, feature) in tokenFeature.enumerated() where feature >= 0 {
            for c in 0..<classes { featureCounts[Int(feature) * classes + c] = Double(tokenCounts[id * classes + c]) }
        }
        for (pair, feature) in pairFeature.enumerated() where feature >= 0 {
            for c in 0..<classes { featureCounts[Int(feature) * classes + c] = Double(pairCounts[pair * classes + c]) }
        }
        return (vocabulary, featureCounts, documents)
    }

    /// Keeps the tokens and pairs seen at least `minCount` times: unigrams first, then
    /// bigrams, each in id (first-seen) order. Returns the vocabulary and the feature id of
    /// every token and pair (−1 when dropped).
    private func select(tokens: TokenTable, pairs: PairTable, tokenTotal: (Int) -> Int, pairTotal: (Int) -> Int)
        -> (Vocabulary, [Int32], [Int32]) {
        var terms: [Vocabulary.Term] = []
        var tokenFeature = [Int32](repeating: -1, count: tokens.count)
        for id in 0..<tokens.count where tokenTotal(id) >= minCount {
            tokenFeature[id] = Int32(terms.count)
            terms.append(.unigram(tokens.string(id)))
        }
        var pairFeature = [Int32](repeating: -1, count: pairs.count)
        for pair in 0..<pairs.count where pairTotal(pair) >= minCount {
            let key = pairs.pairs[pair]
            pairFeature[pair] = Int32(terms.count)
            terms.append(.bigram(tokens.string(Int(key >> 32)), tokens.string(Int(key & 0xFFFF_FFFF))))
        }
        // Terms are distinct by construction (distinct ids in both tables).
        let vocabulary = Vocabulary(terms: terms, tokens: tokens, unigramFeature: tokenFeature,
                                    pairs: pairs, pairFeature: pairFeature)
        return (vocabulary, tokenFeature, pairFeature)
    }
}
