import PipelineModel
import Foundation

/// Elements filed under the start of their time bucket (a minute, an hour), taken out
/// bucket by bucket as a retention horizon advances: what lets the in-memory store prune
/// by time without scanning what it keeps.
///
/// Removal costs what it removes plus the smaller of the number of buckets the horizon
/// passed and the number of buckets held, so a horizon that jumps ahead by years (a replay
/// of archives far apart) costs one scan, not a step per minute of the gap.
struct TimeIndex<Element> {
    private var entries: [Date: [Element]] = [:]
    /// Everything before it was removed; bucket-aligned.
    private var floor: Date?
    private let width: TimeInterval

    /// An empty index of buckets `width` wide, aligned to the Unix epoch.
    init(width: BucketResolution) {
        self.width = Double(width.seconds)
    }

    /// Files `element` under the bucket starting at `start` (not before the last horizon).
    mutating func insert(_ element: Element, at start: Date) {
        entries[start, default: []].append(element)
    }

    /// Removes and returns every element filed before `horizon` (bucket-aligned), with its
    /// bucket start, oldest bucket first when the horizon moved by fewer buckets than are held.
    mutating func removeAll(before horizon: Date) -> [(start: Date, element: Element)] {
        defer { floor = max(floor ?? horizon, horizon) }
        guard !entries.isEmpty else { return [] }
        let from = floor ?? entries.keys.min()!
        guard from < horizon else { return [] }
        var removed: [(start: Date, element: Element)] = []
        let steps = Int((horizon.timeIntervalSince(from) / width).rounded(.up))
        if steps <= entries.count {
            for step in 0..<steps {
                let start = from.addingTimeInterval(Double(step) * width)
                for element in entries.removeValue(forKey: start) ?? [] { removed.append((start, element)) }
            }
        } else {
            for start in entries.keys where start < horizon {
                for element in entries.removeValue(forKey: start) ?? [] { removed.append((start, element)) }
            }
        }
        return removed
    }
}
