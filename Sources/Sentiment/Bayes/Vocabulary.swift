import PipelineModel
import NDArray

/// The features of a Naive Bayes model: unigrams and bigrams of tokens, each with a
/// column index. Lookups go from token bytes to feature ids without building strings.
public struct Vocabulary: Sendable, Equatable {
    /// One feature: a token or two consecutive tokens.
    public enum Term: Hashable, Sendable {
        /// A single token.
        case unigram(String)
        /// Two consecutive tokens.
        case bigram(String, String)

        /// The tokens joined by a space, as scikit-learn names n-grams.
        public var text: String {
            switch self {
            case let .unigram(token): token
            case let .bigram(first, second): first + " " + second
            }
        }
    }

    /// Feature `i` is `terms[i]`.
    public let terms: [Term]
    private var tokens: TokenTable
    /// Feature id of each token's unigram, −1 when the unigram is not a feature.
    private var unigramFeature: [Int32]
    private var pairs: PairTable
    /// Feature id of each pair in `pairs`, −1 when the bigram is not a feature.
    private var pairFeature: [Int32]

    /// A vocabulary over tables a builder already filled: `tokens` and `pairs` may hold
    /// more than the features (those map to −1), which saves re-hashing every term.
    init(terms: [Term], tokens: TokenTable, unigramFeature: [Int32], pairs: PairTable, pairFeature: [Int32]) {
        precondition(unigramFeature.count == tokens.count && pairFeature.count == pairs.count,
                     "one feature slot per token and per pair")
        self.terms = terms
        self.tokens = tokens
        self.unigramFeature = unigramFeature
        self.pairs = pairs
        self.pairFeature = pairFeature
    }

    /// A vocabulary of `terms` in this order; `nil` when a term repeats.
    public init?(terms: [Term]) {
        self.terms = terms
        tokens = TokenTable(capacity: terms.count)
        unigramFeature = []
        pairs = PairTable(capacity: terms.count)
        pairFeature = []
        for (feature, term) in terms.enumerated() {
            switch term {
            case let .unigram(token):
                let id = tokenID(token)
                guard unigramFeature[id] < 0 else { return nil }
                unigramFeature[id] = Int32(feature)
            case let .bigram(first, second):
                let a = tokenID(first), b = tokenID(second)
                let pair = pairs.insert(a, b)
                guard pair == pairFeature.count else { return nil }
                pairFeature.append(Int32(feature))
            }
        }
    }

    private mutating func tokenID(_ token: String) -> Int {
        let id = tokens.insert(token)
        if id == unigramFeature.count { unigramFeature.append(-1) }
        return id
    }

    /// Number of features.
    public var count: Int { terms.count }

    /// The column of `term`, if it is a feature.
    public func featureIndex(of term: Term) -> Int? {
        switch term {
        case let .unigram(token):
            guard let id = find(token), unigramFeature[id] >= 0 else { return nil }
            return Int(unigramFeature[id])
        case let .bigram(first, second):
            guard let a = find(first), let b = find(second), let pair = pairs.find(a, b),
                  pairFeature[pair] >= 0 else { return nil }
            return Int(pairFeature[pair])
        }
    }

    private func find(_ token: String) -> Int? {
        var token = token
        return token.withUTF8 { tokens.find(UnsafeRawBufferPointer($0)) }
    }

    /// Calls `body` with the feature id of every unigram and bigram of `text` that is in
    /// the vocabulary, in text order.
    @inline(__always)
    func forEachFeature(in text: String, tokenizer: some TextTokenizer, _ body: (Int) -> Void) {
        var previous = -1
        tokenizer.forEachToken(in: text) { bytes in
            let id = tokens.find(bytes) ?? -1
            if id >= 0 {
                let unigram = unigramFeature[id]
                if unigram >= 0 { body(Int(unigram)) }
                if previous >= 0, let pair = pairs.find(previous, id), pairFeature[pair] >= 0 {
                    body(Int(pairFeature[pair]))
                }
            }
            previous = id
        }
    }

    /// Document-term counts of `texts` over this vocabulary (one row per text); with
    /// `binary`, each feature's first occurrence only (presence).
    public func counts(_ texts: [String], tokenizer: some TextTokenizer, binary: Bool = false)
        -> SparseRowMatrix<Double> {
        var matrix = SparseRowMatrix<Double>(columnCount: count)
        var row: [(column: Int, value: Double)] = []
        var lastSeen = [Int](repeating: -1, count: binary ? count : 0)
        for (index, text) in texts.enumerated() {
            row.removeAll(keepingCapacity: true)
            forEachFeature(in: text, tokenizer: tokenizer) { feature in
                if binary {
                    guard lastSeen[feature] != index else { return }
                    lastSeen[feature] = index
                }
                row.append((column: feature, value: 1))
            }
            // Columns come from this vocabulary, so they are always in range.
            try! matrix.appendRow(row)
        }
        return matrix
    }

    /// Number of texts of each class containing each feature, (features × classes) row-major.
    func presenceByClass(_ texts: [String], labels: [SentimentLabel], tokenizer: some TextTokenizer) -> [Double] {
        let classes = SentimentLabel.classes.count
        var counts = [Double](repeating: 0, count: count * classes)
        var lastSeen = [Int](repeating: -1, count: count)
        for (index, (text, label)) in zip(texts, labels).enumerated() {
            forEachFeature(in: text, tokenizer: tokenizer) { feature in
                guard lastSeen[feature] != index else { return }
                lastSeen[feature] = index
                counts[feature * classes + label.index] += 1
            }
        }
        return counts
    }

    /// Two vocabularies are equal when they hold the same terms in the same order.
    public static func == (lhs: Vocabulary, rhs: Vocabulary) -> Bool { lhs.terms == rhs.terms }
}
