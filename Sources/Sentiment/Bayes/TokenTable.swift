/// An insertion-ordered set of byte strings with dense ids, looked up without building a
/// `String`: open addressing over FNV-1a hashes, bytes kept in one arena.
///
/// Ids follow first insertion, so anything built from a table is deterministic for a
/// given input order (no dependence on per-process hash seeds).
struct TokenTable: Sendable {
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
    }

    /// Number of distinct tokens.
    var count: Int { hashes.count }

    /// The bytes of token `id`.
    func bytes(_ id: Int) -> ArraySlice<UInt8> { arena[starts[id]..<starts[id + 1]] }

    /// The token `id` as a string.
    func string(_ id: Int) -> String { String(decoding: bytes(id), as: UTF8.self) }

    @inline(__always)
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key {
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return h
    }

    /// The first slot to probe: FNV's low bits only mix the low bits of each byte, so the
    /// hash is multiplied once more and the middle bits taken.
    @inline(__always) static func start(_ hash: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The id of `key`, if present.
    func find(_ key: UnsafeRawBufferPointer) -> Int? {
        let h = Self.hash(key)
        var slot = Self.start(h, mask)
        return arena.withUnsafeBufferPointer { arenaBytes in
            while true {
                let id = Int(slots[slot])
                if id < 0 { return nil }
                if hashes[id] == h, equal(arenaBytes, id, key) { return id }
                slot = (slot + 1) & mask
            }
        }
    }

    /// The id of `key`, inserting it at the end when new.
    mutating func insert(_ key: UnsafeRawBufferPointer) -> Int {
        if let id = find(key) { return id }
        let id = hashes.count
        arena.append(contentsOf: key)
        starts.append(arena.count)
        hashes.append(Self.hash(key))
        if hashes.count * 2 > slots.count { rehash(slots.count * 2) } else { place(id) }
        return id
    }

    /// Inserts a string; convenience for tests and loading.
    mutating func insert(_ key: String) -> Int {
        var key = key
        return key.withUTF8 { insert(UnsafeRawBufferPointer($0)) }
    }

    private func equal(_ arenaBytes: UnsafeBufferPointer<UInt8>, _ id: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let start = starts[id], length = starts[id + 1] - start
        guard length == key.count else { return false }
        for k in 0..<length where arenaBytes[start + k] != key[k] { return false }
        return true
    }

    private mutating func place(_ id: Int) {
        var slot = Self.start(hashes[id], mask)
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(id)
    }

    private mutating func rehash(_ size: Int) {
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        for id in 0..<hashes.count { place(id) }
    }
}

/// An insertion-ordered map from a pair of token ids to a dense id (open addressing).
struct PairTable: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]
    private(set) var pairs: [UInt64] = []
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: .max, count: size)
        values = Array(repeating: -1, count: size)
        mask = size - 1
    }

    /// Number of distinct pairs.
    var count: Int { pairs.count }

    @inline(__always) static func key(_ first: Int, _ second: Int) -> UInt64 {
        UInt64(UInt32(truncatingIfNeeded: first)) << 32 | UInt64(UInt32(truncatingIfNeeded: second))
    }

    /// Fibonacci hashing: the top bits of the product depend on every bit of both ids
    /// (low bits would depend on the second id only and pile up pairs like "x !").
    @inline(__always) private func start(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The id of the pair, if present.
    @inline(__always)
    func find(_ first: Int, _ second: Int) -> Int? {
        let key = Self.key(first, second)
        var slot = start(key)
        while true {
            let stored = keys[slot]
            if stored == key { return Int(values[slot]) }
            if stored == .max { return nil }
            slot = (slot + 1) & mask
        }
    }

    /// The id of the pair, inserting it at the end when new.
    mutating func insert(_ first: Int, _ second: Int) -> Int {
        if let id = find(first, second) { return id }
        let id = pairs.count
        pairs.append(Self.key(first, second))
        if pairs.count * 2 > keys.count {
            let size = keys.count * 2
            keys = Array(repeating: .max, count: size)
            values = Array(repeating: -1, count: size)
            mask = size - 1
            for (existing, key) in pairs.enumerated() { place(key, existing) }
        } else {
            place(Self.key(first, second), id)
        }
        return id
    }

    private mutating func place(_ key: UInt64, _ id: Int) {
        var slot = start(key)
        while keys[slot] != .max { slot = (slot + 1) & mask }
        keys[slot] = key
        values[slot] = Int32(id)
    }
}
