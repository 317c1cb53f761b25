import PipelineModel

/// Selection of the first `k` elements of a sequence in a given order, without sorting it
/// all: O(n) for the small `k` dashboards ask for.
enum TopK {
    /// The first `k` elements of `elements` ordered by `areInIncreasingOrder`.
    static func select<S: Sequence>(_ elements: S, k: Int,
                                    by areInIncreasingOrder: (S.Element, S.Element) -> Bool) -> [S.Element] {
        guard k > 0 else { return [] }
        var best: [S.Element] = []
        best.reserveCapacity(k + 1)
        for element in elements {
            if best.count == k, let worst = best.last, !areInIncreasingOrder(element, worst) { continue }
            // Binary search for the insertion point keeps `best` sorted.
            var low = 0
            var high = best.count
            while low < high {
                let mid = (low + high) / 2
                if areInIncreasingOrder(element, best[mid]) { high = mid } else { low = mid + 1 }
            }
            best.insert(element, at: low)
            if best.count > k { best.removeLast() }
        }
        return best
    }
}
