/// A "nice" linear value axis from zero: the top is a round multiple of a 1-2-5 step.
public struct ValueTicks: Sendable, Equatable {
    /// Distance between ticks.
    public var step: Double
    /// Top of the axis (≥ the largest value).
    public var top: Double
    /// Tick values from 0 to `top`.
    public var values: [Double]

    /// An axis for values in 0…`maximum` with about `targetTicks` intervals.
    public init(maximum: Double, targetTicks: Int = 4) {
        let maximum = maximum > 0 ? maximum : 1
        let raw = maximum / Double(max(1, targetTicks))
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? magnitude * 10
        // Counts are integers: never step by fractions of a post.
        let finalStep = Swift.max(step, 1)
        let top = (maximum / finalStep).rounded(.up) * finalStep
        self.step = finalStep
        self.top = top
        self.values = stride(from: 0.0, through: top + finalStep / 2, by: finalStep).map { $0 }
    }
}
