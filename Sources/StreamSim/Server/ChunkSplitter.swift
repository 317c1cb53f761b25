import PipelineModel

/// Cuts outgoing bytes into pieces of random length (deterministic for a seed), so
/// clients meet messages — and UTF-8 sequences — split at arbitrary points.
struct ChunkSplitter {
    private var random: SplitMix64
    private let maxBytes: Int

    init(_ split: StreamSimConfiguration.ChunkSplit) {
        random = SplitMix64(seed: split.seed)
        maxBytes = split.maxBytes
    }

    /// The consecutive ranges `bytes` is cut into.
    mutating func pieces(of count: Int) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        while start < count {
            let length = 1 + Int(random.next() % UInt64(maxBytes))
            let end = min(count, start + length)
            result.append(start..<end)
            start = end
        }
        return result
    }
}
