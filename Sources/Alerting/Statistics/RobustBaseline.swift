/// Median and MAD of a short window of minute counts: by selection in a buffer the caller
/// lets it reorder, or by a walk from the middle of a window kept sorted — what the
/// detector uses, since it runs for every keyword every minute and this needs no copy.
public enum RobustBaseline {
    /// 1.4826 × MAD estimates a normal distribution's standard deviation.
    public static let madToStandardDeviation = 1.4826

    /// Median and median absolute deviation of `values`, which are reordered. Empty: (0, 0).
    public static func medianAndMAD(_ values: inout [Int32]) -> (median: Double, mad: Double) {
        let n = values.count
        guard n > 0 else { return (0, 0) }
        let median = values.withUnsafeMutableBufferPointer { Self.median(of: $0) }
        for i in 0..<n {
            let deviation = abs(Double(values[i]) - median)
            // Deviations of integer counts from a median are whole or halves: stored doubled.
            values[i] = Int32(deviation * 2)
        }
        let mad = values.withUnsafeMutableBufferPointer { Self.median(of: $0) } / 2
        return (median, mad)
    }

    /// Median and MAD of values already sorted ascending, in O(n) with no copy: the
    /// deviations below and above the median are each sorted, so the median deviation is
    /// found by merging them outward from the middle.
    public static func medianAndMAD(sorted values: UnsafeBufferPointer<Int32>) -> (median: Double, mad: Double) {
        let n = values.count
        guard n > 0 else { return (0, 0) }
        let median = n % 2 == 1 ? Double(values[n / 2]) : (Double(values[n / 2 - 1]) + Double(values[n / 2])) / 2
        // Deviation ranks wanted: the (n-1)/2-th and n/2-th smallest (equal for odd n).
        // Outward from the middle: `below` walks down, `above` up (for an odd count it
        // starts on the median itself, deviation 0).
        var below = n / 2 - 1
        var above = n / 2
        var taken = 0
        var low = 0.0
        let lowRank = (n - 1) / 2
        let highRank = n / 2
        while true {
            let left = below >= 0 ? median - Double(values[below]) : .infinity
            let right = above < n ? Double(values[above]) - median : .infinity
            let next: Double
            if left <= right {
                next = left
                below -= 1
            } else {
                next = right
                above += 1
            }
            if taken == lowRank { low = next }
            if taken == highRank { return (median, (low + next) / 2) }
            taken += 1
        }
    }

    /// The median of `buffer` (the mean of the two middle values for an even count); the
    /// buffer is partially reordered.
    static func median(of buffer: UnsafeMutableBufferPointer<Int32>) -> Double {
        let n = buffer.count
        let upper = n / 2
        select(upper, in: buffer)
        let high = buffer[upper]
        guard n % 2 == 0 else { return Double(high) }
        // After selection everything below `upper` is ≤ its value: the lower middle is their maximum.
        var low = buffer[0]
        for i in 1..<upper where buffer[i] > low { low = buffer[i] }
        return (Double(low) + Double(high)) / 2
    }

    /// Hoare's selection: afterwards `buffer[k]` holds the k-th smallest value, smaller or
    /// equal ones before it, larger or equal ones after.
    static func select(_ k: Int, in buffer: UnsafeMutableBufferPointer<Int32>) {
        var low = 0
        var high = buffer.count - 1
        while high > low {
            // Median of three as the pivot: minute counts are often already sorted runs.
            let middle = (low + high) / 2
            if buffer[middle] < buffer[low] { buffer.swapAt(middle, low) }
            if buffer[high] < buffer[low] { buffer.swapAt(high, low) }
            if buffer[high] < buffer[middle] { buffer.swapAt(high, middle) }
            let pivot = buffer[middle]
            var i = low
            var j = high
            while i <= j {
                while buffer[i] < pivot { i += 1 }
                while buffer[j] > pivot { j -= 1 }
                if i <= j {
                    buffer.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j {
                high = j
            } else if k >= i {
                low = i
            } else {
                return
            }
        }
    }
}
