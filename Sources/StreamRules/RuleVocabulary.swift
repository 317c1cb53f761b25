/// The distinct words a set of rules mentions, each with a small id, found by hash
/// while a post is tokenized so that matching compares integers, not strings.
///
/// Two lookups: by UTF-8 bytes (the ASCII tokenizer, where bytes equal means words
/// equal) and by `String` (other text, where Swift's canonical equivalence decides).
struct RuleVocabulary: Sendable {
    /// Ids by word, for canonical-equivalence lookups.
    private var byWord: [String: Int32] = [:]
    /// The words (lower-cased UTF-8, as `PostTokens` makes them), indexed by id.
    private(set) var words: [[UInt8]] = []
    private var hashes: [UInt64] = []
    /// Open addressing: each slot holds a word id or -1.
    private var slots: [Int32] = [-1]
    private var mask = 0
    /// Bit `b & 63` set when some word starts with byte `b` (below 128), and bit
    /// `min(length, 63)` of `lengths` when some word has that many bytes: a cheap
    /// "certainly not a rule word" for the ASCII tokenizer.
    private var firstBytes: (low: UInt64, high: UInt64) = (0, 0)
    private var lengths: UInt64 = 0

    /// The id of `word`, adding it when new (canonically: `é` in either form is one word).
    mutating func intern(_ word: Substring) -> Int32 {
        if let known = byWord[String(word)] { return known }
        let bytes = Array(word.utf8)
        let id = Int32(words.count)
        byWord[String(word)] = id
        words.append(bytes)
        if let first = bytes.first, first < 0x80 {
            if first < 64 { firstBytes.low |= 1 << UInt64(first) } else { firstBytes.high |= 1 << UInt64(first - 64) }
        }
        lengths |= 1 << UInt64(min(bytes.count, 63))
        hashes.append(bytes.withUnsafeBufferPointer { Self.hash($0) })
        if words.count * 2 > slots.count { rebuild(capacity: slots.count * 4) } else { insert(id) }
        return id
    }

    /// False when no word starts with the ASCII byte `first` and is `length` bytes long.
    @inline(__always)
    func mayContainASCII(first: UInt8, length: Int) -> Bool {
        let bits = first < 64 ? firstBytes.low >> UInt64(first) : firstBytes.high >> UInt64(first &- 64)
        return bits & 1 != 0 && lengths >> UInt64(min(length, 63)) & 1 != 0
    }

    /// The id of the word canonically equal to `word`.
    func id(canonical word: Substring) -> Int32? {
        byWord[String(word)]
    }

    /// The id of the word whose hash is `hash` and for which `equals` holds, or -1.
    @inline(__always)
    func id(hash: UInt64, matching equals: ([UInt8]) -> Bool) -> Int32? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = slots[slot]
            if id < 0 { return nil }
            if hashes[Int(id)] == hash, equals(words[Int(id)]) { return id }
            slot = (slot + 1) & mask
        }
    }

    private mutating func rebuild(capacity: Int) {
        slots = Array(repeating: -1, count: capacity)
        mask = capacity - 1
        for id in words.indices { insert(Int32(id)) }
    }

    private mutating func insert(_ id: Int32) {
        var slot = Int(truncatingIfNeeded: hashes[Int(id)]) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = id
    }

    /// FNV-1a: byte at a time, so the tokenizer can fold it in while scanning.
    static let seed: UInt64 = 0xcbf2_9ce4_8422_2325
    @inline(__always)
    static func step(_ hash: UInt64, _ byte: UInt8) -> UInt64 { (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        bytes.reduce(seed, step)
    }
}
