/// SplitMix64 (Steele, Lea & Flood 2014): a small deterministic generator, the only one
/// in the project. The corpus split, cross-validation folds, demo data, stream-sim's
/// chunk cuts, fuzzing and generated test data depend only on it, so they are identical
/// on every platform and Swift version (the standard library's generator makes no such
/// promise).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` from the high half of a 128-bit product (Lemire's method
    /// without rejection: the bias is below 2⁻⁴⁰ for corpus-sized bounds, and it is
    /// the same everywhere, which is what the split needs).
    public mutating func next(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(UInt64(bound).multipliedFullWidth(by: next()).high)
    }

    /// A value in `0..<1` with 53 random bits.
    public mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Fisher–Yates shuffle driven by this generator.
    public mutating func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(i, next(below: i + 1))
        }
    }
}
