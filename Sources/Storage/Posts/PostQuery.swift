import Foundation
import PipelineModel

/// One page of the drill-down: the posts of a keyword in a time range, newest first,
/// optionally of one label and containing given words.
public struct PostQuery: Sendable, Hashable {
    /// The keyword whose posts are listed.
    public var keyword: String
    /// Half-open: a post is in it when `start ≤ timestamp < end`, so the ranges of
    /// adjacent buckets hold every post exactly once.
    public var range: DateInterval
    /// Only posts with this label, when set.
    public var label: SentimentLabel?
    /// Only posts containing every word of it, when set (see `PostSearch`).
    public var search: PostSearch?
    /// Posts per page, at least 1.
    public var limit: Int
    /// Continue after this post (the previous page's `next`); nil for the first page.
    public var after: PostCursor?

    /// A query; `limit` is clamped to at least 1.
    public init(keyword: String, range: DateInterval, label: SentimentLabel? = nil, search: PostSearch? = nil,
                limit: Int, after: PostCursor? = nil) {
        self.keyword = keyword
        self.range = range
        self.label = label
        self.search = search
        self.limit = max(1, limit)
        self.after = after
    }

    /// Whether a post at `timestamp` with `id` lies in the range and after the cursor
    /// (the order and bounds both stores page by).
    public func admits(timestamp: Date, id: String) -> Bool {
        guard timestamp >= range.start, timestamp < range.end else { return false }
        guard let after else { return true }
        return PostCursor(timestamp: timestamp, id: id) < after
    }
}

/// A page of posts and where the next one starts.
public struct PostPage: Sendable, Hashable {
    /// Newest first: by timestamp, then by id, both descending.
    public var posts: [ScoredPost]
    /// The cursor of the next page; nil when no post was left when this page was read.
    public var next: PostCursor?

    /// A page.
    public init(posts: [ScoredPost], next: PostCursor?) {
        self.posts = posts
        self.next = next
    }
}
