import Foundation
import Logging

/// Decides how long replay waits before each record so that records keep their original
/// spacing (scaled by the speed). The first timed record anchors both timelines; a
/// record without a time, or out of order, is sent without waiting. Pure apart from one
/// log line: the caller passes how much time has elapsed since the replay began.
///
/// A gap between two consecutive records that would take longer than `maximumWait` to
/// replay (a 10-year hole in an archive, at `--speed 1000`, is 3.65 days) is compressed
/// to `maximumWait`: the records after it keep their spacing, shifted earlier. The first
/// compression is logged at notice; the rest only counted (`compressedGaps`).
public struct ReplayPacer: Sendable {
    /// The longest single wait a replay makes by default: a minute of wall-clock time.
    public static let defaultMaximumWait = Duration.seconds(60)

    /// The speed.
    public let speed: ReplaySpeed
    /// The longest wait between two consecutive records.
    public let maximumWait: Duration
    /// How many gaps were compressed so far.
    public private(set) var compressedGaps = 0
    private let logger: Logger
    private var origin: Date?
    /// The latest original time seen: gaps are measured from it.
    private var latest: Date?
    /// Original seconds cut out of the timeline by compressed gaps.
    private var skipped: TimeInterval = 0

    /// Creates a pacer; `maximumWait` must be positive.
    public init(speed: ReplaySpeed, maximumWait: Duration = defaultMaximumWait,
                logger: Logger = Logger(label: "replay")) {
        precondition(maximumWait > .zero, "a replay's maximum wait must be positive")
        self.speed = speed
        self.maximumWait = maximumWait
        self.logger = logger
    }

    /// The wait before emitting a record originally at `time`, given `elapsed` since the
    /// replay started.
    public mutating func delay(before time: Date?, elapsed: Duration) -> Duration {
        guard case .factor(let factor) = speed, let time else { return .zero }
        guard let origin, let latest else {
            origin = time
            latest = time
            return .zero
        }
        let gap = time.timeIntervalSince(latest)
        let longestGap = maximumWait.inSeconds * factor
        if gap > longestGap {
            skipped += gap - longestGap
            compressedGaps += 1
            if compressedGaps == 1 {
                logger.notice("replay: compressed a gap between posts", metadata: [
                    "gap": "\(Self.describe(gap))", "replayedAs": "\(maximumWait)",
                    "note": "later gaps longer than \(maximumWait) at this speed are compressed without a log line",
                ])
            }
        }
        self.latest = max(latest, time)
        let target = (time.timeIntervalSince(origin) - skipped) / factor
        let wait = Swift.min(target - elapsed.inSeconds, maximumWait.inSeconds)
        return wait > 0 ? .milliseconds(Int64((wait * 1000).rounded())) : .zero
    }

    private static func describe(_ seconds: TimeInterval) -> String {
        seconds >= 86_400 ? String(format: "%.1f days", seconds / 86_400) : String(format: "%.0f s", seconds)
    }
}
