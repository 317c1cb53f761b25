import Foundation

/// Sizes as flags write them: `500M`, `10G`, `64K`, `1048576` (binary multiples).
public enum ByteCountText {
    /// Bytes, or nil for text that is not a size.
    public static func parse(_ text: String) -> Int64? {
        let upper = text.uppercased().replacingOccurrences(of: "IB", with: "").replacingOccurrences(of: "B", with: "")
        let shifts: [Character: Int64] = ["K": 10, "M": 20, "G": 30, "T": 40]
        if let last = upper.last, let shift = shifts[last] {
            guard let number = Int64(upper.dropLast()), number >= 0, number <= Int64.max >> shift else { return nil }
            return number << shift
        }
        return Int64(upper)
    }
}
