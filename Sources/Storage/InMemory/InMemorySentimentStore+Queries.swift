import PipelineModel
import Foundation

/// The reads: keyword totals, series, extremes, newest posts, one post, each under one lock.
extension InMemorySentimentStore {
    public func keywords() async throws -> [KeywordSummary] {
        state.withLock { s in
            s.keywords.map { KeywordSummary(keyword: $0.key, totalCount: $0.value.total, lastSeen: $0.value.lastSeen) }
        }.sorted { $0.keyword < $1.keyword }
    }

    public func series(keyword: String, in range: DateInterval,
                       resolution: BucketResolution) async throws -> [KeywordAggregate] {
        state.withLock { s in
            guard let state = s.keywords[keyword] else { return [] }
            let buckets = state.buckets
            if resolution == .hour, !state.hours.isEmpty {
                // Pruned hours answer whole; minutes still held are rolled up beside them.
                let minutes = buckets.values.lazy.filter { range.contains($0.bucketStart) }
                let hours = state.hours.values.lazy.filter { range.contains($0.bucketStart) }
                return Aggregation.rollUp(Array(minutes) + Array(hours), to: .hour)
            }
            // Buckets are keyed by minute start: a window shorter than the keyword's history
            // probes its own minutes (60 lookups for an hour, not a scan of a week); a long
            // one scans once. Either way they are rolled up without an intermediate copy.
            let first = BucketResolution.minute.bucketStart(for: range.start)
            let minutes = Int((range.end.timeIntervalSince(first) / 60).rounded(.down)) + 1
            if minutes < buckets.count {
                let starts = (0..<minutes).lazy.map { first.addingTimeInterval(Double($0) * 60) }
                    .filter { range.contains($0) }
                return Aggregation.rollUp(starts.compactMap { buckets[$0] }, to: resolution)
            }
            return Aggregation.rollUp(buckets.values.lazy.filter { range.contains($0.bucketStart) }, to: resolution)
        }
    }

    public func extremes(keyword: String, in range: DateInterval, limit: Int) async throws -> KeywordExtremes {
        state.withLock { s in
            guard let all = s.keywords[keyword]?.postKeys.elements else {
                return KeywordExtremes(mostPositive: [], mostNegative: [])
            }
            // Ranked on the keyword's small keys; only the winners are looked up and copied
            // out whole (a post is hundreds of bytes, a keyword has thousands of them).
            let horizon = s.horizon  // keys of pruned posts can linger behind newer ones
            let keys = all.lazy.filter { $0.isScored && $0.timestamp >= horizon && range.contains($0.timestamp) }
            let posts = s.posts  // shares storage
            func load(_ winners: [PostKey]) -> [ScoredPost] { winners.compactMap { posts[$0.id] } }
            return KeywordExtremes(
                mostPositive: load(TopK.select(keys, k: limit) { $0.compound != $1.compound ? $0.compound > $1.compound : $0.id < $1.id }),
                mostNegative: load(TopK.select(keys, k: limit) { $0.compound != $1.compound ? $0.compound < $1.compound : $0.id < $1.id }))
        }
    }

    public func recentPosts(keyword: String?, limit: Int) async throws -> [ScoredPost] {
        state.withLock { s in
            if let keyword {
                guard let all = s.keywords[keyword]?.postKeys.elements else { return [] }
                let horizon = s.horizon
                let keys = all.lazy.filter { $0.timestamp >= horizon }
                // Ranked on the small keys; only the winners are copied out whole.
                let newest = TopK.select(keys, k: limit) { $0.timestamp != $1.timestamp ? $0.timestamp > $1.timestamp : $0.id > $1.id }
                return newest.compactMap { s.posts[$0.id] }
            }
            return TopK.select(s.posts.values, k: limit, by: Self.newer)
        }
    }

    public func post(id: String) async throws -> ScoredPost? {
        state.withLock { s in s.posts[id] }
    }
}
