import Foundation
import MongoKit
import PipelineModel
import Storage

/// The drill-down on `tweets`, through the `keyword_time` index.
///
/// The listing's order is (timestamp, id) descending, but the index orders by timestamp
/// only: sorting by both would make the server read and sort the whole range for every
/// page. So each read sorts by timestamp alone (the index's order, stopping after the
/// page) and the store itself orders posts sharing a timestamp: when a read is cut
/// inside a run of equal timestamps, that run is dropped and read again whole by an
/// equality match (ties are few: timestamps have millisecond precision). A page costs a
/// few index range reads of about its own size; a word search reads on in batches until
/// the page is full or the range ends.
extension MongoSentimentStore {
    public func posts(_ query: PostQuery) async throws -> PostPage {
        var query = query
        query.range = Self.storable(query.range)
        let wanted = query.limit + 1  // one more: whether a next page exists
        var found: [ScoredPost] = []
        // Where reading resumes: after this timestamp, or after this (timestamp, id).
        var resume: (timestamp: Date, id: String?)? = query.after.map { ($0.timestamp, $0.id) }
        reading: while found.count < wanted {
            if let (timestamp, id) = resume, timestamp >= query.range.start, timestamp < query.range.end {
                // The rest of a run of equal timestamps, ordered here by id.
                var filter = baseFilter(query)
                filter.append(TweetField.timestamp, .date(timestamp))
                if let id { filter.append(TweetField.id, ["$lt": .string(id)]) }
                let ties = try await tweets.find(filter).map(ScoredPost.init(document:))
                    .sorted { $0.id > $1.id }
                append(ties, matching: query, to: &found, upTo: wanted)
                if found.count >= wanted { break reading }
            }
            let upper = resume.map { min($0.timestamp, query.range.end) } ?? query.range.end
            var filter = baseFilter(query)
            filter.append(TweetField.timestamp, ["$gte": .date(query.range.start), "$lt": .date(upper)])
            let batch = query.search == nil ? wanted - found.count : max(wanted - found.count, 256)
            let documents = try await tweets.find(filter, options: FindOptions(sort: [TweetField.timestamp: -1],
                                                                               limit: batch))
            var older = try documents.map(ScoredPost.init(document:))
            guard documents.count == batch, let cut = older.last?.post.timestamp else {
                // The range's end: everything left is here, ties and all.
                older.sort(by: Self.newerFirst)
                append(older, matching: query, to: &found, upTo: wanted)
                break reading
            }
            // The last run may be cut short: keep the runs before it, read it whole next.
            older.removeAll { $0.post.timestamp == cut }
            older.sort(by: Self.newerFirst)
            append(older, matching: query, to: &found, upTo: wanted)
            resume = (cut, nil)
        }
        let shown = Array(found.prefix(query.limit))
        let next = found.count > query.limit ? shown.last.map { PostCursor(timestamp: $0.post.timestamp, id: $0.id) } : nil
        return PostPage(posts: shown, next: next)
    }

    /// Keyword and label: the part of the filter every read shares.
    private func baseFilter(_ query: PostQuery) -> BSONDocument {
        var filter: BSONDocument = [TweetField.keywords: .string(query.keyword)]
        if let label = query.label { filter.append(TweetField.label, .string(label.rawValue)) }
        return filter
    }

    /// Appends the posts the word search accepts (all without one), in order, up to `limit`.
    private func append(_ posts: [ScoredPost], matching query: PostQuery, to found: inout [ScoredPost], upTo limit: Int) {
        for post in posts where found.count < limit {
            if let search = query.search, !search.matches(post.post.text) { continue }
            found.append(post)
        }
    }

    /// `range` within what BSON dates hold on every server (some refuse dates before
    /// year 1): an "all time" range of `distantPast…distantFuture` reads from the epoch.
    private static func storable(_ range: DateInterval) -> DateInterval {
        let epoch = Date(timeIntervalSince1970: 0)
        let end = max(range.end, epoch)
        return DateInterval(start: min(max(range.start, epoch), end), end: end)
    }

    private static func newerFirst(_ a: ScoredPost, _ b: ScoredPost) -> Bool {
        a.post.timestamp != b.post.timestamp ? a.post.timestamp > b.post.timestamp : a.id > b.id
    }
}
