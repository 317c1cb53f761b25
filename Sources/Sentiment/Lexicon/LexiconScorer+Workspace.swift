extension LexiconScorer {
    /// Scratch buffers reused across the texts of a batch, so scoring allocates only
    /// when a text is longer than any before it.
    struct Workspace {
        /// The text after emoji substitution, when it had any emoji.
        var substituted: [UInt8] = []
        /// Word id per token (−1: unknown word).
        var ids: [Int32] = []
        /// Whether each token is ALL CAPS (Python `str.isupper`).
        var upper: [Bool] = []
        /// Whether each lowercased token contains "n't".
        var hasNT: [Bool] = []
        /// Valence per token, after the rules.
        var sentiments: [Double] = []
        /// Whether the text mixes ALL-CAPS and other tokens.
        var capsDiffer = false
        /// `!` and `?` counts of the whole text.
        var exclamations = 0
        var questions = 0

        init() {
            ids.reserveCapacity(64)
            upper.reserveCapacity(64)
            hasNT.reserveCapacity(64)
            sentiments.reserveCapacity(64)
        }

        mutating func reset() {
            ids.removeAll(keepingCapacity: true)
            upper.removeAll(keepingCapacity: true)
            hasNT.removeAll(keepingCapacity: true)
            sentiments.removeAll(keepingCapacity: true)
            capsDiffer = false
            exclamations = 0
            questions = 0
        }
    }
}
