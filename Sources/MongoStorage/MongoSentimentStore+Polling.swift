import Foundation
import Logging
import MongoKit
import PipelineModel
import Storage

/// The change feed without change streams: every `pollInterval`, read the posts recorded
/// since the last poll (by `recordedAt`, which `record` stamps inside its transaction)
/// and the current values of the buckets they touched.
///
/// `recordedAt` comes from the recording host's clock, and a transaction may commit after
/// a later-stamped one; so each poll looks `pollLookback` further back and skips ids it
/// already reported. A post that becomes visible later than that is missed by the feed
/// (never by the store); the next change of its bucket still carries the bucket's full value.
extension MongoSentimentStore {
    /// Index the polling feed reads by; created by `prepare()` in polling mode, or when
    /// `changes()` falls back to polling.
    static let recordedAtIndex = IndexModel(keys: [TweetField.recordedAt: 1], name: TweetField.recordedIndex)

    /// Errors that say this server has no change streams (standalone server, or a
    /// storage engine without them).
    static func meansNoChangeStreams(_ error: MongoError) -> Bool {
        // 40573: "$changeStream stage is only supported on replica sets";
        // 40324: unrecognised pipeline stage; 115: command not supported.
        [40573, 40324, 115].contains(error.code)
    }

    func pollingChanges() async throws -> AsyncThrowingStream<StoreChange, Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(
            of: StoreChange.self, bufferingPolicy: .bufferingNewest(configuration.changeBuffer))
        // Everything recorded up to now is history, not a change.
        var history = PollCursor(since: Date(), lookback: configuration.pollLookback.inSeconds)
        for document in try await recordedSince(history.queryStart) {
            _ = history.remember(document)
        }
        let store = self
        let task = Task { [history] in
            var cursor = history
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: store.configuration.pollInterval)
                    let fresh = try await store.recordedSince(cursor.queryStart).filter { cursor.remember($0) }
                    guard !fresh.isEmpty else { continue }
                    let posts = try fresh.map(ScoredPost.init(document:))
                    continuation.yield(.posts(posts))
                    let ids = Set(Aggregation.buckets(for: posts).keys.map {
                        KeywordAggregate.documentID(keyword: $0.keyword, bucketStart: $0.bucketStart)
                    })
                    let buckets = try await store.aggregates.find([BucketField.id: ["$in": .array(ids.map { .string($0) })]])
                    continuation.yield(.aggregates(try buckets.map(KeywordAggregate.init(document:))
                        .sorted { ($0.keyword, $0.bucketStart) < ($1.keyword, $1.bucketStart) }))
                } catch is CancellationError {
                    break
                } catch {
                    // An outage: keep the cursor, try again on the next tick.
                    store.logger.warning("change poll failed", metadata: ["error": "\(error)"])
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Posts recorded at or after `start`, oldest first.
    private func recordedSince(_ start: Date) async throws -> [BSONDocument] {
        try await tweets.find([TweetField.recordedAt: ["$gte": .date(start)]],
                              options: FindOptions(sort: [TweetField.recordedAt: 1]))
    }
}

/// Where a polling feed stands: the newest `recordedAt` seen and the ids reported within
/// the look-back window (so a re-read post is not reported twice).
struct PollCursor {
    private var newest: Date
    private let lookback: TimeInterval
    private var reported: [String: Date] = [:]

    init(since: Date, lookback: TimeInterval) {
        newest = since
        self.lookback = lookback
    }

    /// Start of the next query.
    var queryStart: Date { newest.addingTimeInterval(-lookback) }

    /// Notes a post document; true the first time its id is seen.
    mutating func remember(_ document: BSONDocument) -> Bool {
        guard let id = document[MongoSchema.Tweets.id]?.stringValue,
              case .date(let at)? = document[MongoSchema.Tweets.recordedAt] else { return false }
        newest = max(newest, at)
        guard reported[id] == nil else { return false }
        reported[id] = at
        if reported.count > 4096 {
            let horizon = queryStart
            reported = reported.filter { $0.value >= horizon }
        }
        return true
    }
}
