import Foundation

/// Decides how long replay waits before each record so that records keep their original
/// spacing (scaled by the speed). The first timed record anchors both timelines; a
/// record without a time, or out of order, is sent without waiting. Pure: the caller
/// passes how much time has elapsed since the replay began.
public struct ReplayPacer: Sendable {
    /// The speed.
    public let speed: ReplaySpeed
    private var origin: Date?

    /// Creates a pacer.
    public init(speed: ReplaySpeed) { self.speed = speed }

    /// The wait before emitting a record originally at `time`, given `elapsed` since the
    /// replay started.
    public mutating func delay(before time: Date?, elapsed: Duration) -> Duration {
        guard case .factor(let factor) = speed, let time else { return .zero }
        guard let origin else {
            origin = time
            return .zero
        }
        let target = time.timeIntervalSince(origin) / factor
        let wait = target - elapsed.seconds
        return wait > 0 ? .milliseconds(Int64((wait * 1000).rounded())) : .zero
    }
}
