/// An open-addressing hash table from lowercased token bytes to a word id, with the
/// attributes the VADER rules need per word in parallel arrays. Looking a token up
/// lowercases ASCII on the fly, so the hot path builds no `String`.
struct WordTable: Sendable {
    /// Valence per id; NaN when the word is not in the lexicon.
    private(set) var valence: [Double] = []
    /// Booster increment per id; 0 when the word is no booster.
    private(set) var booster: [Double] = []
    /// Whether the word is in the negation list.
    private(set) var isNegation: [Bool] = []
    /// Whether the word occurs in an idiom or multi-word booster.
    private(set) var inPhrase: [Bool] = []

    private var keyBytes: [UInt8] = []
    private var keyStart: [Int] = []
    /// Per slot: 16 bits of the word's hash, then id + 1 in the low 16 bits (0: empty).
    /// Keeping a hash tag in a compact slot settles most misses (the common case) with
    /// one access to a small array that stays in cache.
    private var slots: [UInt32] = []
    private var mask = 0

    /// Number of words.
    var count: Int { keyStart.count - 1 }

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        keyStart = [0]
    }

    /// The id of `word` (exact bytes), adding it when new.
    mutating func intern(_ word: String) -> Int32 {
        let bytes = Array(word.utf8)
        let hash = bytes.withUnsafeBufferPointer { Self.hash($0, lowercasingASCII: false) }
        if let id = bytes.withUnsafeBufferPointer({ find($0, hash: hash, lowercasingASCII: false) }) {
            return id
        }
        let id = Int32(count)
        precondition(id < 0xFFFF, "word table holds at most 65,534 words")
        keyBytes.append(contentsOf: bytes)
        keyStart.append(keyBytes.count)
        valence.append(.nan)
        booster.append(0)
        isNegation.append(false)
        inPhrase.append(false)
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 32)) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Self.tag(hash) | UInt32(id + 1)
        return id
    }

    mutating func setValence(_ value: Double, for id: Int32) { valence[Int(id)] = value }
    mutating func setBooster(_ value: Double, for id: Int32) { booster[Int(id)] = value }
    mutating func markNegation(_ id: Int32) { isNegation[Int(id)] = true }
    mutating func markInPhrase(_ id: Int32) { inPhrase[Int(id)] = true }

    /// The slot tag of a hash: its top 16 bits, in the slot's high half.
    @inline(__always)
    private static func tag(_ hash: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: hash >> 48) << 16 }

    /// FNV-1a over the bytes, ASCII letters lowercased when asked.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, lowercasingASCII: Bool) -> UInt64 {
        var h = hashSeed
        for var b in bytes {
            if lowercasingASCII, b >= 0x41, b <= 0x5A { b |= 0x20 }
            h = hash(h, adding: b)
        }
        return h
    }

    /// FNV-1a's starting value, for callers that hash while reading the bytes anyway.
    static let hashSeed: UInt64 = 0xcbf2_9ce4_8422_2325

    /// One FNV-1a step.
    @inline(__always)
    static func hash(_ h: UInt64, adding byte: UInt8) -> UInt64 { (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }

    /// The id of the word equal to `bytes` (ASCII-lowercased when asked), if any.
    @inline(__always)
    func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, lowercasingASCII: Bool) -> Int32? {
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 32)) & mask
        let tag = Self.tag(hash)
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if entry & 0xFFFF_0000 == tag {
                let i = Int(entry & 0xFFFF) - 1
                if keyStart[i + 1] - keyStart[i] == bytes.count {
                    var equal = true
                    var k = keyStart[i]
                    for var b in bytes {
                        if lowercasingASCII, b >= 0x41, b <= 0x5A { b |= 0x20 }
                        if keyBytes[k] != b { equal = false; break }
                        k += 1
                    }
                    if equal { return Int32(i) }
                }
            }
            slot = (slot + 1) & mask
        }
    }
}
