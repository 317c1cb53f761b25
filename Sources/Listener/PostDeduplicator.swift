/// Drops posts already seen, by id, with bounded memory: two generations of ids, each up
/// to `generationSize`. When the current generation fills, the older one is discarded.
/// Any id among the last `generationSize` distinct ids is always recognised; older ones
/// may be forgotten, which is safe because the queue and the store also dedupe by id —
/// this filter only keeps reconnect and backfill repeats off the hand-off path.
public struct PostDeduplicator: Sendable {
    /// Ids per generation.
    public let generationSize: Int
    private var current: Set<String>
    private var previous: Set<String> = []

    /// Creates a filter remembering at least `generationSize` recent ids (default 200,000,
    /// far more than `backfill_minutes=5` can redeliver at 250 posts/s).
    public init(generationSize: Int = 200_000) {
        precondition(generationSize > 0, "generationSize must be positive")
        self.generationSize = generationSize
        current = Set(minimumCapacity: min(generationSize, 4096))
    }

    /// Returns true the first time an id is seen (recently), false for a repeat.
    public mutating func isFirstSighting(of id: String) -> Bool {
        if current.contains(id) || previous.contains(id) { return false }
        if current.count >= generationSize {
            previous = current
            current = Set(minimumCapacity: min(generationSize, 4096))
        }
        current.insert(id)
        return true
    }

    /// Ids currently remembered (for tests and gauges).
    public var rememberedCount: Int { current.count + previous.count }
}
