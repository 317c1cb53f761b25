/// Median and MAD of a short window of minute counts, computed by selection in a scratch
/// buffer the caller keeps (no allocation per minute: the detector runs for every keyword
/// every minute).
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
