import NDArray

/// TF-IDF features over a `Vocabulary`, laid out so a text's row can be computed in one
/// streaming pass over its tokens (see `LogisticEngine`).
///
/// - idf of a term: ln((1 + n) / (1 + df)) + 1, scikit-learn's smoothed idf, with df the
///   number of training texts containing the term.
/// - Each occurrence of a feature contributes its idf; the row is divided by the root of
///   the sum of the squared occurrence weights. When no feature repeats in a text (nearly
///   every tweet) that is exactly scikit-learn's `TfidfVectorizer(norm="l2")` row; with
///   repeats it stays length-independent without grouping occurrences.
public struct TfidfWeighting: Sendable, Equatable {
    /// idf of each vocabulary term, in column order.
    public let idf: [Double]

    /// A weighting with known idf values.
    public init(idf: [Double]) {
        self.idf = idf
    }

    /// The smoothed idf of every term of `vocabulary` over `texts`.
    public init(fitting texts: [String], vocabulary: Vocabulary, tokenizer: some TextTokenizer) {
        self = Self.fitted(texts, vocabulary: vocabulary, tokenizer: tokenizer).weighting
    }

    /// The weighting fitted to `texts` and their rows under it, from one tokenization pass
    /// (the same as `init(fitting:)` then `rows(_:)`, which tokenize twice).
    public static func fitted(_ texts: [String], vocabulary: Vocabulary, tokenizer: some TextTokenizer)
        -> (weighting: TfidfWeighting, rows: SparseRowMatrix<Double>) {
        var documentFrequency = [Int](repeating: 0, count: vocabulary.count)
        var lastSeen = [Int32](repeating: -1, count: vocabulary.count)
        var occurrences: [Int32] = []
        var starts: [Int] = [0]
        starts.reserveCapacity(texts.count + 1)
        for (row, text) in texts.enumerated() {
            let row = Int32(truncatingIfNeeded: row)
            vocabulary.forEachFeature(in: text, tokenizer: tokenizer) { feature in
                occurrences.append(Int32(truncatingIfNeeded: feature))
                if lastSeen[feature] != row {
                    lastSeen[feature] = row
                    documentFrequency[feature] += 1
                }
            }
            starts.append(occurrences.count)
        }
        let n = Double(texts.count)
        let weighting = TfidfWeighting(idf: documentFrequency.map { Double.logarithm((1 + n) / (1 + Double($0))) + 1 })
        var matrix = SparseRowMatrix<Double>(columnCount: vocabulary.count)
        var row: [(column: Int, value: Double)] = []
        for text in 0..<texts.count {
            row.removeAll(keepingCapacity: true)
            for k in starts[text]..<starts[text + 1] {
                let feature = Int(occurrences[k])
                row.append((column: feature, value: weighting.idf[feature]))
            }
            weighting.normalize(&row)
            // Columns come from the vocabulary, so they are always in range.
            try! matrix.appendRow(row)
        }
        return (weighting, matrix)
    }

    /// Divides a row's occurrence weights by the root of their sum of squares.
    private func normalize(_ row: inout [(column: Int, value: Double)]) {
        var squares = 0.0
        for entry in row { squares += entry.value * entry.value }
        let norm = squares > 0 ? squares.squareRoot() : 1
        for k in row.indices { row[k].value /= norm }
    }

    /// The feature rows of `texts`: one entry per feature occurrence (repeated columns add up).
    public func rows(_ texts: [String], vocabulary: Vocabulary, tokenizer: some TextTokenizer)
        -> SparseRowMatrix<Double> {
        precondition(idf.count == vocabulary.count, "one idf per vocabulary term")
        var matrix = SparseRowMatrix<Double>(columnCount: vocabulary.count)
        var row: [(column: Int, value: Double)] = []
        for text in texts {
            row.removeAll(keepingCapacity: true)
            vocabulary.forEachFeature(in: text, tokenizer: tokenizer) { feature in
                row.append((column: feature, value: idf[feature]))
            }
            normalize(&row)
            // Columns come from the vocabulary, so they are always in range.
            try! matrix.appendRow(row)
        }
        return matrix
    }
}
