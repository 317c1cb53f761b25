import Foundation
import PipelineModel

/// One keyword's stored posts filed by minute, each minute's in (timestamp, id) order:
/// what the drill-down pages through without scanning the keyword's history. A page
/// starts at the minute of its cursor (or of its range's end) and walks back minute by
/// minute, so it costs the minutes it crosses plus the posts it looks at; a CSV export
/// that pages through a week crosses each minute once in all.
struct PostTimeline {
    /// What paging needs of a post: its order and its label (the label filter needs no lookup).
    struct Entry {
        var timestamp: Date
        var id: String
        var label: SentimentLabel

        var cursor: PostCursor { PostCursor(timestamp: timestamp, id: id) }
    }

    private var minutes: [Date: [Entry]] = [:]
    /// Bounds of the posts ever filed (the walk never leaves them); not narrowed by removal.
    private var earliest: Date?
    private var latest: Date?

    /// Files a post; in-order arrivals append, late ones are inserted in place.
    mutating func insert(_ entry: Entry) {
        let minute = BucketResolution.minute.bucketStart(for: entry.timestamp)
        earliest = min(earliest ?? entry.timestamp, entry.timestamp)
        latest = max(latest ?? entry.timestamp, entry.timestamp)
        let key = entry.cursor
        // Mutated in place through the subscript: copying a busy minute out would copy its list.
        if minutes[minute]?.last.map({ $0.cursor < key }) ?? true {
            minutes[minute, default: []].append(entry)
        } else {
            let index = minutes[minute]!.partitioningIndex { key < $0.cursor }
            minutes[minute]!.insert(entry, at: index)
        }
    }

    /// Removes the post with `id` stamped `timestamp` (count retention).
    mutating func remove(id: String, timestamp: Date) {
        let minute = BucketResolution.minute.bucketStart(for: timestamp)
        guard let index = minutes[minute]?.firstIndex(where: { $0.id == id }) else { return }
        minutes[minute]!.remove(at: index)
        if minutes[minute]!.isEmpty { minutes[minute] = nil }
    }

    /// Removes a whole minute (time retention prunes by minute).
    mutating func removeMinute(_ start: Date) {
        minutes[start] = nil
    }

    /// Up to `limit` entries the query admits and `accept` accepts, newest first, from
    /// minutes not before `floor`.
    func page(_ query: PostQuery, limit: Int, floor: Date, accept: (Entry) -> Bool) -> [Entry] {
        guard let earliest, let latest else { return [] }
        var top = min(latest, query.range.end)
        if let after = query.after { top = min(top, after.timestamp) }
        let bottom = max(earliest, query.range.start, floor)
        guard bottom <= top else { return [] }
        let last = BucketResolution.minute.bucketStart(for: bottom)
        var minute = BucketResolution.minute.bucketStart(for: top)
        var found: [Entry] = []
        while minute >= last && found.count < limit {
            if let entries = minutes[minute] {
                for entry in entries.reversed() where query.admits(timestamp: entry.timestamp, id: entry.id) {
                    guard accept(entry) else { continue }
                    found.append(entry)
                    if found.count == limit { break }
                }
            }
            minute = minute.addingTimeInterval(-60)
        }
        return found
    }
}

extension Array {
    /// The first index whose element satisfies `belongs` (which must hold for a suffix).
    fileprivate func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var low = startIndex
        var high = endIndex
        while low < high {
            let mid = (low + high) / 2
            if belongs(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
