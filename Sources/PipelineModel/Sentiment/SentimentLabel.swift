/// What a post was labelled: one of the three classes every engine predicts, or `unscored`
/// for a post the pipeline counted but did not score (a language no engine was trained for).
///
/// Only the three classes have an `index` in probability vectors and confusion matrices;
/// `classes` lists them in that order. `unscored` is never a gold label or a training label.
public enum SentimentLabel: String, Sendable, Hashable, Codable, Comparable {
    case negative
    case neutral
    case positive
    /// Counted in volume, not scored: the post's language is not one the engine was trained for.
    case unscored

    /// The three classes, in the fixed order of probability vectors (negative, neutral, positive).
    public static let classes: [SentimentLabel] = [.negative, .neutral, .positive]

    /// Whether this is one of the three predicted classes (not `unscored`).
    public var isClass: Bool { self != .unscored }

    /// Position in probability vectors and confusion matrices: negative 0, neutral 1, positive 2.
    /// `unscored` has none: reaching here with it is a programming error (engines and
    /// corpora only ever produce the three classes).
    public var index: Int {
        switch self {
        case .negative: 0
        case .neutral: 1
        case .positive: 2
        case .unscored: preconditionFailure("unscored is not a sentiment class and has no index")
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

    /// One of the three classes by name; nil for `unscored` and anything else, so gold labels
    /// and training corpora cannot carry it.
    public init?(className: String) {
        guard let label = SentimentLabel(rawValue: className), label.isClass else { return nil }
        self = label
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

    /// Class order, with `unscored` after the three classes.
    private var rank: Int { isClass ? index : Self.classes.count }

    public static func < (lhs: SentimentLabel, rhs: SentimentLabel) -> Bool { lhs.rank < rhs.rank }
}
