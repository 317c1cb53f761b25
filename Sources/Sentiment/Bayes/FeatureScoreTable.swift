/// What a `FeatureScoreTable` slot carries for one feature, summed over a text's features.
protocol FeatureWeights: Sendable {
    /// The weights of a token or pair that is not a feature (adding it changes nothing).
    static var zero: Self { get }
    /// Adds `other` field by field, in declaration order.
    mutating func add(_ other: Self)
    /// What a second or later occurrence of the feature in one text adds, in a table that
    /// counts presence (`FeatureScoreTable.presence`).
    var repeated: Self { get }
}

/// Three per-class values: Naive Bayes log P(feature | class).
struct ClassTriple: FeatureWeights {
    var w0: Double, w1: Double, w2: Double
    static var zero: ClassTriple { ClassTriple(w0: 0, w1: 0, w2: 0) }
    @inline(__always) mutating func add(_ other: ClassTriple) {
        w0 += other.w0
        w1 += other.w1
        w2 += other.w2
    }
    /// Naive Bayes with presence counts: a feature counts once per text.
    var repeated: ClassTriple { .zero }
}

/// The prediction-time layout of a linear text model (Naive Bayes, logistic regression or
/// both): one open-addressing table of tokens and one of token pairs, each slot holding
/// its key together with the feature's weights.
///
/// Prediction is bound by memory latency, not arithmetic: the training-time tables
/// (`TokenTable`, `PairTable`, feature ids, then a row of the log-probability matrix)
/// cost up to nine cache misses per token. Here a token costs about two — its slot (the
/// first 8 bytes of the token are stored in it, so short tokens are compared without
/// touching the byte arena) and its bigram's slot — and each adds its three class values
/// from the slot it was found in.
struct FeatureScoreTable<Weights: FeatureWeights>: Sendable {
    private struct TokenSlot {
        /// The token's first 8 bytes, little-endian, zero-padded.
        var prefix: UInt64
        var length: Int32
        /// Dense id of the token; −1 marks an empty slot.
        var id: Int32
        /// The unigram's weights, or zero when the unigram is not a feature (adding 0
        /// leaves the sums unchanged, bit for bit).
        var weights: Weights
    }

    private struct PairSlot {
        /// First id << 32 | second id; `UInt64.max` marks an empty slot.
        var key: UInt64
        var weights: Weights
    }

    private var tokenSlots: [TokenSlot]
    private var tokenMask: Int
    /// Bytes of every token, for tokens longer than the 8-byte prefix.
    private var arena: [UInt8] = []
    private var arenaStarts: [Int] = [0]
    private var pairSlots: [PairSlot]
    private var pairMask: Int
    /// Whether a feature seen again in the same text adds `Weights.repeated` instead of its
    /// weights (Naive Bayes trained on presence counts).
    let presence: Bool

    /// The table for `terms` whose weights are `weights` (one per term).
    init(terms: [Vocabulary.Term], weights: [Weights], presence: Bool = false) {
        precondition(weights.count == terms.count, "one weight set per term")
        self.presence = presence
        var tokenCount = 0, pairCount = 0
        for term in terms {
            if case .bigram = term { pairCount += 1 } else { tokenCount += 1 }
        }
        // Bigram tokens may add tokens without a unigram feature: size for the worst case.
        tokenSlots = Array(repeating: TokenSlot(prefix: 0, length: 0, id: -1, weights: .zero),
                           count: Self.tableSize(tokenCount + 2 * pairCount))
        tokenMask = tokenSlots.count - 1
        pairSlots = Array(repeating: PairSlot(key: .max, weights: .zero), count: Self.tableSize(pairCount))
        pairMask = pairSlots.count - 1
        for (feature, term) in terms.enumerated() {
            let w = weights[feature]
            switch term {
            case let .unigram(token):
                let slot = tokenSlotInserting(token)
                tokenSlots[slot].weights = w
            case let .bigram(first, second):
                let a = Int(tokenSlots[tokenSlotInserting(first)].id)
                let b = Int(tokenSlots[tokenSlotInserting(second)].id)
                let key = Self.pairKey(a, b)
                var slot = Self.pairStart(key, pairMask)
                while pairSlots[slot].key != .max { slot = (slot + 1) & pairMask }
                pairSlots[slot] = PairSlot(key: key, weights: w)
            }
        }
    }

    /// A power of two at least twice `count` (load factor ≤ ½ keeps probes short).
    private static func tableSize(_ count: Int) -> Int {
        var size = 16
        while size < count * 2 { size <<= 1 }
        return size
    }

    private mutating func tokenSlotInserting(_ token: String) -> Int {
        var token = token
        return token.withUTF8 { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            if let slot = arena.withUnsafeBufferPointer({ slotIndex(of: raw, arena: $0) }) { return slot }
            let prefix = Self.prefix(raw)
            var slot = Self.tokenStart(prefix, raw, tokenMask)
            while tokenSlots[slot].id >= 0 { slot = (slot + 1) & tokenMask }
            let id = arenaStarts.count - 1
            arena.append(contentsOf: raw)
            arenaStarts.append(arena.count)
            tokenSlots[slot] = TokenSlot(prefix: prefix, length: Int32(raw.count), id: Int32(id), weights: .zero)
            return slot
        }
    }

    @inline(__always) private static func prefix(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var value: UInt64 = 0
        let n = Swift.min(8, bytes.count)
        for k in 0..<n { value |= UInt64(bytes[k]) << UInt64(8 * k) }
        return value
    }

    /// Multiplicative hashing of the prefix, the length and any further 8-byte chunks.
    @inline(__always) private static func tokenStart(_ prefix: UInt64, _ bytes: UnsafeRawBufferPointer, _ mask: Int) -> Int {
        var h = (prefix ^ UInt64(bytes.count)) &* 0x9E37_79B9_7F4A_7C15
        var k = 8
        while k < bytes.count {
            var chunk: UInt64 = 0
            let end = Swift.min(k + 8, bytes.count)
            for j in k..<end { chunk |= UInt64(bytes[j]) << UInt64(8 * (j - k)) }
            h = ((h ^ (h >> 29)) ^ chunk) &* 0x9E37_79B9_7F4A_7C15
            k = end
        }
        return Int(truncatingIfNeeded: h >> 32) & mask
    }

    @inline(__always) private static func pairKey(_ first: Int, _ second: Int) -> UInt64 {
        UInt64(UInt32(truncatingIfNeeded: first)) << 32 | UInt64(UInt32(truncatingIfNeeded: second))
    }

    @inline(__always) private static func pairStart(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The slot holding `token`, if any.
    @inline(__always)
    private func slotIndex(of token: UnsafeRawBufferPointer, arena: UnsafeBufferPointer<UInt8>) -> Int? {
        let prefix = Self.prefix(token)
        let length = Int32(truncatingIfNeeded: token.count)
        var slot = Self.tokenStart(prefix, token, tokenMask)
        return tokenSlots.withUnsafeBufferPointer { slots in
            while true {
                let entry = slots[slot]
                if entry.id < 0 { return nil }
                if entry.prefix == prefix, entry.length == length {
                    if token.count <= 8 { return slot }
                    let start = arenaStarts[Int(entry.id)] + 8
                    var same = true
                    for k in 8..<token.count where arena[start + k - 8] != token[k] {
                        same = false
                        break
                    }
                    if same { return slot }
                }
                slot = (slot + 1) & tokenMask
            }
        }
    }

    /// The sum of the weights of the unigram and bigram features of `text`, in the order
    /// `Vocabulary.forEachFeature` visits them (so Naive Bayes sums equal the count-matrix
    /// product exactly).
    @inline(__always)
    func sums(of text: String, tokenizer: some TextTokenizer) -> Weights {
        if presence { return presenceSums(of: text, tokenizer: tokenizer) }
        var sum = Weights.zero
        var previous = -1
        arena.withUnsafeBufferPointer { arena in
            pairSlots.withUnsafeBufferPointer { pairs in
                tokenizer.forEachToken(in: text) { bytes in
                    guard let slot = slotIndex(of: bytes, arena: arena) else {
                        previous = -1
                        return
                    }
                    let entry = tokenSlots[slot]
                    sum.add(entry.weights)
                    let id = Int(entry.id)
                    if previous >= 0 {
                        let key = Self.pairKey(previous, id)
                        var p = Self.pairStart(key, pairMask)
                        while true {
                            let pair = pairs[p]
                            if pair.key == key {
                                sum.add(pair.weights)
                                break
                            }
                            if pair.key == .max { break }
                            p = (p + 1) & pairMask
                        }
                    }
                    previous = id
                }
            }
        }
        return sum
    }

    /// `sums` for a presence table: the first occurrence of a feature in the text adds its
    /// weights, later ones `Weights.repeated`. Features seen so far are kept in a small
    /// open-addressing set on the stack (a text has at most two features per token, and no
    /// more tokens than bytes), keyed by the feature's slot.
    private func presenceSums(of text: String, tokenizer: some TextTokenizer) -> Weights {
        var sum = Weights.zero
        var previous = -1
        let capacity = Self.tableSize(2 * text.utf8.count + 2)
        let mask = capacity - 1
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: capacity) { seen in
            seen.initialize(repeating: .max)
            func isFirst(_ key: UInt64) -> Bool {
                var k = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
                while seen[k] != .max {
                    if seen[k] == key { return false }
                    k = (k + 1) & mask
                }
                seen[k] = key
                return true
            }
            arena.withUnsafeBufferPointer { arena in
                pairSlots.withUnsafeBufferPointer { pairs in
                    tokenizer.forEachToken(in: text) { bytes in
                        guard let slot = slotIndex(of: bytes, arena: arena) else {
                            previous = -1
                            return
                        }
                        let entry = tokenSlots[slot]
                        sum.add(isFirst(UInt64(slot)) ? entry.weights : entry.weights.repeated)
                        let id = Int(entry.id)
                        if previous >= 0 {
                            let key = Self.pairKey(previous, id)
                            var p = Self.pairStart(key, pairMask)
                            while true {
                                let pair = pairs[p]
                                if pair.key == key {
                                    sum.add(isFirst(UInt64(p) | 1 << 63) ? pair.weights : pair.weights.repeated)
                                    break
                                }
                                if pair.key == .max { break }
                                p = (p + 1) & pairMask
                            }
                        }
                        previous = id
                    }
                }
            }
            return sum
        }
    }
}
