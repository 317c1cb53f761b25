/// How fast a replay runs: a multiple of the original pacing, or as fast as possible.
public enum ReplaySpeed: Sendable, Hashable, CustomStringConvertible {
    /// Original gaps divided by the factor (1 = real time).
    case factor(Double)
    /// No waiting at all.
    case maximum

    /// Parses `1`, `10`, `2.5`, `4x` or `max`; nil for anything else.
    public init?(_ text: String) {
        let lowered = text.lowercased()
        if lowered == "max" || lowered == "maximum" { self = .maximum; return }
        let number = lowered.hasSuffix("x") ? String(lowered.dropLast()) : lowered
        guard let factor = Double(number), factor > 0, factor.isFinite else { return nil }
        self = .factor(factor)
    }

    public var description: String {
        switch self {
        case .factor(let factor): "\(factor)x"
        case .maximum: "max"
        }
    }
}
