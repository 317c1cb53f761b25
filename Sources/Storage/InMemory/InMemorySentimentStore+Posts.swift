import Foundation
import PipelineModel

/// The drill-down: a page of a keyword's posts through its `PostTimeline`, under one lock.
extension InMemorySentimentStore {
    public func posts(_ query: PostQuery) async throws -> PostPage {
        state.withLock { s in
            guard let timeline = s.keywords[query.keyword]?.timeline else { return PostPage(posts: [], next: nil) }
            let posts = s.posts  // shares storage
            // One more than asked: whether a next page exists is known without another read.
            let entries = timeline.page(query, limit: query.limit + 1, floor: s.horizon) { entry in
                if let label = query.label, entry.label != label { return false }
                guard let search = query.search else { return true }
                return posts[entry.id].map { search.matches($0.post.text) } ?? false
            }
            let shown = entries.prefix(query.limit).compactMap { posts[$0.id] }
            let next = entries.count > query.limit ? entries[query.limit - 1].cursor : nil
            return PostPage(posts: shown, next: next)
        }
    }
}
