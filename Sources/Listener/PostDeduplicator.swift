/// Drops posts already seen, by id, with bounded memory: two generations of ids, each up
/// to `generationSize`. When the current generation fills, the older one is discarded.
/// Any id among the last `generationSize` distinct ids is always recognised; older ones
/// may be forgotten, which is safe because the queue and the store also dedupe by id —
/// this filter only keeps reconnect and backfill repeats off the hand-off path.
///
/// Post ids are decimal numbers (19 digits today); any canonical decimal of up to 38
/// digits is kept as two 64-bit halves (16 bytes inline instead of a heap-allocated
/// string), which keeps 400,000 remembered ids at a few MB. Any other id (a replayed file
/// may use anything) is kept as a string.
public struct PostDeduplicator: Sendable {
    /// Ids per generation.
    public let generationSize: Int
    private var current: Generation
    private var previous = Generation(capacity: 0)

    /// One generation of remembered ids.
    private struct Generation: Sendable {
        var numeric: Set<NumericID>
        var other: Set<String> = []

        /// Reserved up front: growing by doubling would briefly hold old and new tables
        /// and could end at twice the buckets needed.
        init(capacity: Int) {
            numeric = Set(minimumCapacity: capacity)
        }
        var count: Int { numeric.count + other.count }

        func contains(_ id: Identifier) -> Bool {
            switch id {
            case .numeric(let value): numeric.contains(value)
            case .other(let value): other.contains(value)
            }
        }

        /// Inserts; false when the id was already there.
        mutating func insert(_ id: Identifier) -> Bool {
            switch id {
            case .numeric(let value): numeric.insert(value).inserted
            case .other(let value): other.insert(value).inserted
            }
        }
    }

    /// A decimal id as its value in base 10^19: `high * 10^19 + low`.
    private struct NumericID: Hashable, Sendable {
        var high: UInt64
        var low: UInt64
    }

    private enum Identifier {
        case numeric(NumericID)
        case other(String)

        /// Only the canonical decimal form maps to a number, so "007" and "7" stay distinct.
        init(_ id: String) {
            let utf8 = id.utf8
            if let value = utf8.withContiguousStorageIfAvailable(Self.canonicalNumber) ?? Self.canonicalNumber(utf8) {
                self = .numeric(value)
            } else {
                self = .other(id)
            }
        }

        private static func canonicalNumber<Bytes: Collection>(_ bytes: Bytes) -> NumericID? where Bytes.Element == UInt8 {
            let count = bytes.count
            guard let first = bytes.first, first != UInt8(ascii: "0") || count == 1, count <= 38 else { return nil }
            // The last 19 digits make `low` (< 10^19 fits 64 bits), the rest `high`.
            let highDigits = max(0, count - 19)
            var id = NumericID(high: 0, low: 0)
            var position = 0
            for byte in bytes {
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                if position < highDigits {
                    id.high = id.high &* 10 &+ UInt64(digit)
                } else {
                    id.low = id.low &* 10 &+ UInt64(digit)
                }
                position += 1
            }
            return id
        }
    }

    /// Creates a filter remembering at least `generationSize` recent ids (default 150,000,
    /// twice what `backfill_minutes=5` can redeliver at 250 posts/s; a Set of 150,000
    /// fits the 2^18-bucket table, 4 MB, where 200,000 would need 2^19).
    public init(generationSize: Int = 150_000) {
        precondition(generationSize > 0, "generationSize must be positive")
        self.generationSize = generationSize
        current = Generation(capacity: generationSize)
    }

    /// Returns true the first time an id is seen (recently), false for a repeat.
    public mutating func isFirstSighting(of id: String) -> Bool {
        let key = Identifier(id)
        // Each lookup hashes the id: ask the older generation only when there is one, and
        // let the insertion into the current one double as its membership test.
        if previous.count > 0, previous.contains(key) { return false }
        if current.count >= generationSize {
            if current.contains(key) { return false }
            previous = current
            current = Generation(capacity: generationSize)
        }
        return current.insert(key)
    }

    /// Ids currently remembered (for tests and gauges).
    public var rememberedCount: Int { current.count + previous.count }
}
