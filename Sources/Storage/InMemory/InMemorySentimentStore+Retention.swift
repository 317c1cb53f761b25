import PipelineModel
import Foundation

/// Retention by count and by time: what `record` prunes, and the hourly roll-ups of
/// pruned minute buckets (see the type's notes).
extension InMemorySentimentStore {
    /// Drops the oldest recorded posts beyond `retention`. Record order is global, so an
    /// evicted post is also the oldest entry of each of its keywords' lists, once keys of
    /// posts pruned by time are off the front.
    static func evict(_ s: inout State, keeping retention: Int) {
        while s.posts.count > retention, let id = s.recordOrder.pop() {
            guard let post = s.posts.forget(id) else { continue }
            for keyword in Aggregation.distinct(post.post.keywords) {
                dropPrunedKeys(&s.keywords[keyword], before: s.horizon)
                _ = s.keywords[keyword]?.postKeys.pop()
                s.keywords[keyword]?.timeline.remove(id: id, timestamp: post.post.timestamp)
            }
        }
    }

    /// Moves the horizon to `retention` before `newest` (if that is later) and prunes what
    /// fell behind it: posts, minute buckets (folded into hours), hours past their retention.
    static func advance(_ s: inout State, newest: Date, retention: Duration, hourlyRetention: Duration?) {
        guard newest > (s.newest ?? .distantPast) else { return }
        s.newest = newest
        let horizon = BucketResolution.minute.bucketStart(for: newest.addingTimeInterval(-seconds(retention)))
        guard horizon > s.horizon else { return }
        s.horizon = horizon
        if let hourlyRetention {
            // First, so minutes folded below never land in an hour that is already past.
            s.hourHorizon = BucketResolution.hour.bucketStart(for: newest.addingTimeInterval(-seconds(hourlyRetention)))
            for (start, keyword) in s.keywordsByHour.removeAll(before: s.hourHorizon) {
                _ = s.keywords[keyword]?.hours.removeValue(forKey: start)
            }
        }
        var touched = Set<String>()
        for (_, id) in s.postsByMinute.removeAll(before: horizon) {
            guard let post = s.posts.forget(id) else { continue }
            touched.formUnion(post.post.keywords)
        }
        for keyword in touched { dropPrunedKeys(&s.keywords[keyword], before: horizon) }
        for (start, keyword) in s.keywordsByMinute.removeAll(before: horizon) {
            s.keywords[keyword]?.timeline.removeMinute(start)
            guard let bucket = s.keywords[keyword]?.buckets.removeValue(forKey: start) else { continue }
            foldIntoHour(bucket, &s)
        }
    }

    /// Merges a minute bucket that lies behind the horizon into its keyword's hourly
    /// roll-up, unless that hour is past its own retention.
    static func foldIntoHour(_ bucket: KeywordAggregate, _ s: inout State) {
        let hour = BucketResolution.hour.bucketStart(for: bucket.bucketStart)
        guard hour >= s.hourHorizon else { return }
        let isNew = s.keywords[bucket.keyword]?.hours[hour] == nil
        s.keywords[bucket.keyword, default: KeywordState()]
            .hours[hour, default: KeywordAggregate(keyword: bucket.keyword, bucketStart: hour, resolution: .hour)]
            .merge(bucket)
        if isNew { s.keywordsByHour.insert(bucket.keyword, at: hour) }
    }

    /// Drops keys of pruned posts from the front of a keyword's list.
    static func dropPrunedKeys(_ keyword: inout KeywordState?, before horizon: Date) {
        while let first = keyword?.postKeys.first, first.timestamp < horizon { _ = keyword?.postKeys.pop() }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        duration.inSeconds
    }
}
