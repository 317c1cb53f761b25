import Foundation
import Logging
import MongoKit
import PipelineModel
import Storage

/// The change feed without change streams: every `pollInterval`, read the posts recorded
/// since the last poll (by `recordedAt`, which `record` stamps inside its transaction)
/// and the current values of the buckets they touched.
///
/// A post becomes visible when its transaction commits, which may be long after its stamp
/// (a slow or retried commit). So `record` announces each stamp in `recording` before its
/// transaction starts and withdraws it after the transaction ends, and each poll first
/// reads the announced stamps, then the posts from where the previous poll said to start,
/// then moves that start to the oldest stamp still announced (or `pollLookback` before
/// now, if earlier): a commit not visible to this poll was announced at it, or announced
/// after it with a stamp no earlier than now − `pollLookback`, so the next poll reads it.
/// Ids already reported are skipped. What this assumes: hosts' clocks agree within
/// `pollLookback`, and a record transaction ends within `recordingExpiry` (MongoDB
/// aborts transactions after 60 s by default) — markers older than that are left by a
/// crashed recorder and are ignored and deleted.
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

    /// How long a `recording` marker may stand before the polling feed takes its recorder
    /// for crashed.
    static let recordingExpiry: TimeInterval = 300

    func pollingChanges() async throws -> AsyncThrowingStream<StoreChange, Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(
            of: StoreChange.self, bufferingPolicy: .bufferingNewest(configuration.changeBuffer))
        // Everything recorded up to now is history, not a change.
        let now = Date()
        var history = PollCursor(lookback: configuration.pollLookback.inSeconds)
        history.advance(polledAt: now, announced: try await oldestAnnouncedStamp(now: now))
        for document in try await recordedSince(history.queryStart) {
            _ = history.remember(document)
        }
        let store = self
        let task = Task { [history] in
            var cursor = history
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: store.configuration.pollInterval)
                    // In this order: announced stamps, then posts, then move the start.
                    let now = Date()
                    let announced = try await store.oldestAnnouncedStamp(now: now)
                    let fresh = try await store.recordedSince(cursor.queryStart).filter { cursor.remember($0) }
                    cursor.advance(polledAt: now, announced: announced)
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

    /// The oldest stamp of the `record` calls in flight, deleting markers of crashed ones.
    private func oldestAnnouncedStamp(now: Date) async throws -> Date? {
        let expired = now.addingTimeInterval(-Self.recordingExpiry)
        var oldest: Date?
        var stale = false
        for document in try await recording.find([:]) {
            guard case .date(let since)? = document[MongoSchema.Recording.since] else { continue }
            if since < expired { stale = true } else { oldest = min(oldest ?? since, since) }
        }
        if stale { _ = try await recording.deleteMany([MongoSchema.Recording.since: ["$lt": .date(expired)]]) }
        return oldest
    }

    /// Posts recorded at or after `start`, oldest first.
    private func recordedSince(_ start: Date) async throws -> [BSONDocument] {
        try await tweets.find([TweetField.recordedAt: ["$gte": .date(start)]],
                              options: FindOptions(sort: [TweetField.recordedAt: 1]))
    }
}

/// Where a polling feed stands: where its next query starts, and the ids reported at or
/// after that (so a re-read post is not reported twice).
struct PollCursor {
    /// Start of the next query.
    private(set) var queryStart = Date.distantPast
    private let lookback: TimeInterval
    private var reported: [String: Date] = [:]

    init(lookback: TimeInterval) {
        self.lookback = lookback
    }

    /// After a poll that started at `now` and saw `announced` as the oldest stamp still in
    /// flight: the next query starts there, or `lookback` before `now` if that is earlier.
    mutating func advance(polledAt now: Date, announced: Date?) {
        queryStart = min(announced ?? .distantFuture, now.addingTimeInterval(-lookback))
        if reported.count > 4096 {
            let horizon = queryStart
            reported = reported.filter { $0.value >= horizon }
        }
    }

    /// Notes a post document; true the first time its id is seen.
    mutating func remember(_ document: BSONDocument) -> Bool {
        guard let id = document[MongoSchema.Tweets.id]?.stringValue,
              case .date(let at)? = document[MongoSchema.Tweets.recordedAt] else { return false }
        guard reported[id] == nil else { return false }
        reported[id] = at
        return true
    }
}
