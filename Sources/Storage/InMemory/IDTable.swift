import PipelineModel

/// A hash table from post ids to objects, with `Dictionary` semantics (ids compare as
/// `String`s do) for what the in-memory queue and store need, built for their load:
/// hundreds of thousands of ids that share long prefixes, inserted and removed under a
/// lock that every worker waits on.
///
/// Each slot keeps the id's full hash. A lookup hashes the id once; the slots it probes
/// are told apart by their hashes, so ids are compared (a `memcmp` of similar strings)
/// only on a real match; and growing the table moves slots by their stored hashes
/// instead of hashing every id again. In a profile of `bench pipeline`, `Dictionary`'s
/// probing comparisons and rehashing were most of the store's time under its lock.
///
/// Open addressing with linear probing, at most 3/4 full; removal shifts the following
/// slots back (no tombstones), so lookups never slow down as posts come and go.
struct IDTable<Value: AnyObject> {
    /// Full hash per slot; `0` marks an empty slot (a real hash of 0 is stored as 1).
    private var hashes: [Int]
    private var keys: [String]
    private var objects: [Value?]
    private var mask: Int
    /// Number of ids held.
    private(set) var count = 0

    /// An empty table.
    init() {
        hashes = Array(repeating: 0, count: 16)
        keys = Array(repeating: "", count: 16)
        objects = Array(repeating: nil, count: 16)
        mask = 15
    }

    /// The objects held, in no particular order.
    var values: some Sequence<Value> { objects.lazy.compactMap { $0 } }

    /// The object for `id`; assigning nil removes it.
    subscript(id: String) -> Value? {
        get {
            let (slot, found) = find(id, hash: Self.hash(id))
            return found ? objects[slot] : nil
        }
        set {
            if let newValue { updateValue(newValue, forKey: id) } else { removeValue(forKey: id) }
        }
    }

    /// Stores `value` for `id`, replacing any object held; returns the replaced object.
    @discardableResult
    mutating func updateValue(_ value: Value, forKey id: String) -> Value? {
        let hash = Self.hash(id)
        let (slot, found) = find(id, hash: hash)
        if found {
            let old = objects[slot]
            objects[slot] = value
            return old
        }
        occupy(slot, hash: hash, id: id, value: value)
        return nil
    }

    /// Stores `value` for `id` unless an object is held for it; returns that object (and
    /// stores nothing) or nil when `value` was stored.
    mutating func insertIfAbsent(_ value: Value, forKey id: String) -> Value? {
        let hash = Self.hash(id)
        let (slot, found) = find(id, hash: hash)
        if found { return objects[slot] }
        occupy(slot, hash: hash, id: id, value: value)
        return nil
    }

    /// Removes and returns the object for `id`.
    @discardableResult
    mutating func removeValue(forKey id: String) -> Value? {
        removeValue(forKey: id) { _ in true }
    }

    /// Removes and returns the object for `id` if `condition` holds for it (one lookup).
    @discardableResult
    mutating func removeValue(forKey id: String, if condition: (Value) -> Bool) -> Value? {
        let (slot, found) = find(id, hash: Self.hash(id))
        guard found, let old = objects[slot], condition(old) else { return nil }
        vacate(slot)
        return old
    }

    // MARK: - Slots

    @inline(__always)
    private static func hash(_ id: String) -> Int {
        let hash = id.hashValue
        return hash == 0 ? 1 : hash
    }

    /// The slot holding `id`, or the empty slot where it would go.
    @inline(__always)
    private func find(_ id: String, hash: Int) -> (slot: Int, found: Bool) {
        var slot = hash & mask
        while true {
            let stored = hashes[slot]
            if stored == 0 { return (slot, false) }
            if stored == hash, keys[slot] == id { return (slot, true) }
            slot = (slot &+ 1) & mask
        }
    }

    private mutating func occupy(_ slot: Int, hash: Int, id: String, value: Value) {
        hashes[slot] = hash
        keys[slot] = id
        objects[slot] = value
        count += 1
        if count * 4 > hashes.count * 3 { grow() }
    }

    /// Empties `slot`, moving back later slots of the probe run that would no longer be
    /// reachable across the gap.
    private mutating func vacate(_ slot: Int) {
        var gap = slot
        var next = slot
        while true {
            next = (next &+ 1) & mask
            let stored = hashes[next]
            if stored == 0 { break }
            let home = stored & mask
            // The entry at `next` stays when its home lies cyclically in (gap, next].
            let stays = gap <= next ? (gap < home && home <= next) : (gap < home || home <= next)
            if stays { continue }
            hashes[gap] = stored
            keys[gap] = keys[next]
            objects[gap] = objects[next]
            gap = next
        }
        hashes[gap] = 0
        keys[gap] = ""
        objects[gap] = nil
        count -= 1
    }

    /// Doubles the slots, placing entries by their stored hashes.
    private mutating func grow() {
        let capacity = hashes.count * 2
        var newHashes = Array(repeating: 0, count: capacity)
        var newKeys = Array(repeating: "", count: capacity)
        var newObjects = [Value?](repeating: nil, count: capacity)
        let newMask = capacity - 1
        for old in hashes.indices where hashes[old] != 0 {
            var slot = hashes[old] & newMask
            while newHashes[slot] != 0 { slot = (slot &+ 1) & newMask }
            newHashes[slot] = hashes[old]
            swap(&newKeys[slot], &keys[old])
            newObjects[slot] = objects[old]
        }
        hashes = newHashes
        keys = newKeys
        objects = newObjects
        mask = newMask
    }
}
