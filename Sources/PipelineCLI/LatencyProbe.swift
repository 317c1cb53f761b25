import Foundation
import PipelineModel
import Storage
import Sentiment
import Synchronization

/// Measures received → aggregated latency per post: the listener stamps a post when it
/// hands it off, the store stamps it when its record call returns (the post is then in
/// the aggregates and visible to the dashboard).
final class LatencyProbe: Sendable {
    private let state = Mutex(State())

    private struct State {
        var received: [String: ContinuousClock.Instant] = [:]
        var latencies: [Duration] = []
    }

    /// Stamps posts as received (the first stamp of an id wins).
    func received(_ posts: [Post]) {
        let now = ContinuousClock.now
        state.withLock { state in
            for post in posts where state.received[post.id] == nil { state.received[post.id] = now }
        }
    }

    /// Stamps posts as aggregated.
    func aggregated(_ ids: [String]) {
        let now = ContinuousClock.now
        state.withLock { state in
            for id in ids {
                if let start = state.received.removeValue(forKey: id) { state.latencies.append(now - start) }
            }
        }
    }

    /// Latency percentiles in milliseconds (nearest-rank), nil before any post.
    func percentiles(_ quantiles: [Double]) -> [Double]? {
        let sorted = state.withLock { $0.latencies }.sorted()
        guard !sorted.isEmpty else { return nil }
        return quantiles.map { q in
            let rank = min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))
            return sorted[rank].inMilliseconds
        }
    }
}

/// A store that tells the probe when posts were recorded and keeps what evaluation needs.
final class ObservedStore: SentimentStore {
    private let base: any SentimentStore
    private let probe: LatencyProbe
    private let predictions = Mutex<[String: Prediction]>([:])

    /// What evaluation keeps of a recorded post.
    struct Prediction: Sendable {
        var predicted: SentimentLabel
        var gold: SentimentLabel?
    }

    init(base: any SentimentStore, probe: LatencyProbe) {
        self.base = base
        self.probe = probe
    }

    /// The label of every post recorded, by id.
    var recorded: [String: Prediction] { predictions.withLock { $0 } }

    func record(_ posts: [ScoredPost]) async throws -> RecordOutcome {
        let outcome = try await base.record(posts)
        probe.aggregated(posts.map(\.id))
        predictions.withLock { table in
            for post in posts where table[post.id] == nil {
                table[post.id] = Prediction(predicted: post.sentiment.label, gold: post.post.goldLabel)
            }
        }
        return outcome
    }

    func keywords() async throws -> [KeywordSummary] { try await base.keywords() }
    func series(keyword: String, in range: DateInterval, resolution: BucketResolution) async throws -> [KeywordAggregate] {
        try await base.series(keyword: keyword, in: range, resolution: resolution)
    }
    func extremes(keyword: String, in range: DateInterval, limit: Int) async throws -> KeywordExtremes {
        try await base.extremes(keyword: keyword, in: range, limit: limit)
    }
    func recentPosts(keyword: String?, limit: Int) async throws -> [ScoredPost] {
        try await base.recentPosts(keyword: keyword, limit: limit)
    }
    func posts(_ query: PostQuery) async throws -> PostPage { try await base.posts(query) }
    func post(id: String) async throws -> ScoredPost? { try await base.post(id: id) }
    func changes() async throws -> AsyncThrowingStream<StoreChange, Error> { try await base.changes() }
    func ping() async throws { try await base.ping() }
}
