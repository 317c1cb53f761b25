/// A bounded set of post ids, newest kept: the ids the in-memory store counted but no
/// longer keeps (so a redelivery or replay is not counted again), the ids a MongoDB queue
/// enqueued lately (so stream duplicates rarely travel further).
///
/// Kept compactly: an X post id is a decimal number below 2⁶⁴, held as a `UInt64` (about
/// 20 bytes with the set's slack, against ~190 for the id as a table key plus its place in
/// an eviction queue); other ids (other sources' URIs) are held as strings. Bounded in two
/// generations instead of an eviction queue: new ids go into the current one, and when it
/// holds `limit / 2` the previous one is dropped and a new one started — so the newest
/// `limit / 2` forgotten ids are always remembered, never more than `limit`.
public struct RecentPostIDs: Sendable {
    private struct Generation: Sendable {
        var numbers = Set<UInt64>()
        var others = Set<String>()

        var count: Int { numbers.count + others.count }

        func contains(_ id: String) -> Bool {
            if let number = RecentPostIDs.number(id) { return numbers.contains(number) }
            return others.contains(id)
        }

        mutating func insert(_ id: String) {
            if let number = RecentPostIDs.number(id) { numbers.insert(number) } else { others.insert(id) }
        }
    }

    private var current = Generation()
    private var previous = Generation()
    /// Most ids held at once.
    public let limit: Int

    /// An empty set holding at most `limit` ids (none when `limit` < 2).
    public init(limit: Int) {
        precondition(limit >= 0)
        self.limit = limit
    }

    /// Ids held.
    public var count: Int { current.count + previous.count }

    /// Whether `id` is remembered.
    public func contains(_ id: String) -> Bool {
        current.contains(id) || previous.contains(id)
    }

    /// Remembers `id` (already remembered is fine), dropping the older generation when
    /// the current one is full.
    public mutating func insert(_ id: String) {
        guard limit >= 2, !contains(id) else { return }
        if current.count >= limit / 2 {
            previous = current
            current = Generation()
        }
        current.insert(id)
    }

    /// `id` as a number if it is the canonical decimal text of one (no sign, no leading
    /// zero), so that distinct texts never map to the same number.
    public static func number(_ id: String) -> UInt64? {
        let utf8 = id.utf8
        guard let first = utf8.first, first != UInt8(ascii: "0") || utf8.count == 1, utf8.count <= 20 else {
            return nil
        }
        var value: UInt64 = 0
        for byte in utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }
}
