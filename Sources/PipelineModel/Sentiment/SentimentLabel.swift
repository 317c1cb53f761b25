/// The three classes every engine predicts, in the fixed order used by probability vectors.
public enum SentimentLabel: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case negative
    case neutral
    case positive

    /// Position in probability vectors and confusion matrices: negative 0, neutral 1, positive 2.
    public var index: Int {
        switch self {
        case .negative: 0
        case .neutral: 1
        case .positive: 2
        }
    }

    /// The label at `index` in the fixed class order.
    public init?(index: Int) {
        switch index {
        case 0: self = .negative
        case 1: self = .neutral
        case 2: self = .positive
        default: return nil
        }
    }

    /// The paper's 3-class rule for a compound (or a normalised rating) in −1…1:
    /// positive ≥ +0.05, negative ≤ −0.05, neutral between.
    public init(compound: Double, threshold: Double = 0.05) {
        if compound >= threshold {
            self = .positive
        } else if compound <= -threshold {
            self = .negative
        } else {
            self = .neutral
        }
    }

    public static func < (lhs: SentimentLabel, rhs: SentimentLabel) -> Bool { lhs.index < rhs.index }
}
