import Foundation

/// Width of an aggregate time bucket. Minute buckets are stored; wider ones are roll-ups.
public enum BucketResolution: String, Sendable, Hashable, Codable, CaseIterable {
    case minute = "1m"
    case fiveMinutes = "5m"
    case hour = "1h"

    /// Bucket width in seconds.
    public var seconds: Int {
        switch self {
        case .minute: 60
        case .fiveMinutes: 300
        case .hour: 3600
        }
    }

    /// Start of the bucket containing `date` (buckets are aligned to the Unix epoch, UTC).
    public func bucketStart(for date: Date) -> Date {
        let t = date.timeIntervalSince1970
        let width = Double(seconds)
        return Date(timeIntervalSince1970: (t / width).rounded(.down) * width)
    }
}
