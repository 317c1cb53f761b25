import PipelineModel
import Storage

/// A range the keyword page and API offer, with the bucket width its chart rolls up to.
public enum TimeRange: String, Sendable, CaseIterable, Codable {
    case fifteenMinutes = "15m"
    case hour = "1h"
    case sixHours = "6h"
    case day = "24h"
    case week = "7d"

    /// Length in seconds.
    public var seconds: Int {
        switch self {
        case .fifteenMinutes: 900
        case .hour: 3600
        case .sixHours: 21_600
        case .day: 86_400
        case .week: 604_800
        }
    }

    /// Bucket width of the chart: 15–60 minute buckets for ≤ 1 h, 72 five-minute
    /// buckets for 6 h, and hours beyond that (24 and 168 bars stay readable at 900 px).
    public var resolution: BucketResolution {
        switch self {
        case .fifteenMinutes, .hour: .minute
        case .sixHours: .fiveMinutes
        case .day, .week: .hour
        }
    }

    /// How the range reads in a sentence: "15 minutes", "hour", "7 days".
    public var phrase: String {
        switch self {
        case .fifteenMinutes: "15 minutes"
        case .hour: "hour"
        case .sixHours: "6 hours"
        case .day: "24 hours"
        case .week: "7 days"
        }
    }

    /// The accepted values, for error messages.
    static let accepted = allCases.map(\.rawValue).joined(separator: ", ")
}
