/// Cuts outgoing bytes into pieces of random length (deterministic for a seed), so
/// clients meet messages — and UTF-8 sequences — split at arbitrary points.
struct ChunkSplitter {
    private var state: UInt64
    private let maxBytes: Int

    init(_ split: StreamSimConfiguration.ChunkSplit) {
        state = split.seed
        maxBytes = split.maxBytes
    }

    /// SplitMix64: tiny, seedable, good enough for cut points.
    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The consecutive ranges `bytes` is cut into.
    mutating func pieces(of count: Int) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        while start < count {
            let length = 1 + Int(next() % UInt64(maxBytes))
            let end = min(count, start + length)
            result.append(start..<end)
            start = end
        }
        return result
    }
}
