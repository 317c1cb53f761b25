import PipelineModel

/// Why a closed minute met a detector's condition: what was seen, what was expected, the
/// bar it cleared, and a strength that ranks minutes of one episode (the peak is kept).
struct Evidence: Sendable, Hashable {
    var observed: Double
    var expected: Double
    var threshold: Double
    /// Robust deviations above the baseline (volume) or |z| (sentiment).
    var strength: Double
    /// The label whose share moved (sentiment only).
    var label: SentimentLabel?
}
