import PipelineModel
import Sentiment

/// Makes hostile inputs from valid ones: bit flips, truncation, splicing, huge numbers,
/// deep nesting, NUL bytes and invalid UTF-8, a few stacked per input. Deterministic for
/// a given generator, so an input is reproduced from its campaign seed and iteration.
public struct Mutator {
    /// Valid inputs the mutations start from.
    public let seeds: [[UInt8]]
    /// No input grows past this many bytes: every check stays bounded in time.
    public let maxLength: Int

    /// A mutator over `seeds` (at least one).
    public init(seeds: [[UInt8]], maxLength: Int) {
        precondition(!seeds.isEmpty, "a fuzz target needs at least one seed")
        self.seeds = seeds
        self.maxLength = maxLength
    }

    /// One input: a seed, unchanged one time in sixteen, else with 1–4 mutations.
    public func input(using random: inout SplitMix64) -> [UInt8] {
        var bytes = seeds[Int(random.next() % UInt64(seeds.count))]
        guard random.next() % 16 != 0 else { return bytes }
        for _ in 0...(random.next() % 4) { mutate(&bytes, using: &random) }
        if bytes.count > maxLength { bytes.removeLast(bytes.count - maxLength) }
        return bytes
    }

    private static let hostile: [[UInt8]] = [
        [0], [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x80],
        Array("99999999999999999999999".utf8), Array("-9223372036854775809".utf8), Array("1e999".utf8),
        Array("NaN".utf8), [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
        Array("\\u0000".utf8), Array("\\ud800".utf8), Array("%00".utf8), Array("%ZZ".utf8), Array("\r\n".utf8),
        [10], [13], [9], Array("\"".utf8), Array("\\".utf8),
    ]

    private func mutate(_ bytes: inout [UInt8], using random: inout SplitMix64) {
        func position(_ extra: Int = 0) -> Int { Int(random.next() % UInt64(bytes.count + extra)) }
        switch random.next() % 10 {
        case 0 where !bytes.isEmpty:  // bit flip
            let at = position()
            bytes[at] ^= 1 << UInt8(random.next() % 8)
        case 1 where !bytes.isEmpty:  // random byte
            bytes[position()] = UInt8(truncatingIfNeeded: random.next())
        case 2 where !bytes.isEmpty:  // truncate
            bytes.removeLast(bytes.count - position())
        case 3 where !bytes.isEmpty:  // delete a range
            let start = position()
            let end = min(bytes.count, start + 1 + Int(random.next() % 16))
            bytes.removeSubrange(start..<end)
        case 4 where !bytes.isEmpty:  // duplicate a range
            let start = position()
            let end = min(bytes.count, start + 1 + Int(random.next() % 64))
            bytes.insert(contentsOf: bytes[start..<end], at: position(1))
        case 5:  // splice another seed in
            let other = seeds[Int(random.next() % UInt64(seeds.count))]
            guard !other.isEmpty else { return }
            let start = Int(random.next() % UInt64(other.count))
            let end = start + Int(random.next() % UInt64(other.count - start + 1))
            bytes.insert(contentsOf: other[start..<end], at: position(1))
        case 6:  // deep nesting
            let pairs: [(UInt8, UInt8)] = [(0x5B, 0x5D), (0x7B, 0x7D), (0x28, 0x29), (0x22, 0x22)]
            let (open, close) = pairs[Int(random.next() % UInt64(pairs.count))]
            let depth = 1 + Int(random.next() % 5_000)
            let at = position(1)
            bytes.insert(contentsOf: [UInt8](repeating: open, count: depth), at: at)
            if random.next() % 2 == 0 { bytes.append(contentsOf: [UInt8](repeating: close, count: depth)) }
        case 7:  // replace a run of digits with a huge number
            if let digit = bytes.indices.first(where: { bytes[$0] >= 0x30 && bytes[$0] <= 0x39 && random.next() % 4 == 0 }) {
                var end = digit
                while end < bytes.count, bytes[end] >= 0x30 && bytes[end] <= 0x39 { end += 1 }
                bytes.replaceSubrange(digit..<end, with: Self.hostile[6 + Int(random.next() % 3)])
            } else {
                bytes.insert(contentsOf: Self.hostile[6], at: position(1))
            }
        default:  // NUL, invalid UTF-8, escapes, terminators
            bytes.insert(contentsOf: Self.hostile[Int(random.next() % UInt64(Self.hostile.count))], at: position(1))
        }
    }
}
