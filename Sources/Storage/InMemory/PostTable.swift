import PipelineModel

/// The in-memory store's posts by id, with dictionary semantics, and the ids of posts
/// that retention removed (or never kept), remembered so they are not counted again.
///
/// A `ScoredPost` is a few hundred bytes inline; a dictionary of them copies every post
/// each time it grows, under the store's lock, while every worker waits (a profile of
/// the 2-worker benchmark put a quarter of its time there). Boxing each post keeps the
/// table's entries to a key and a pointer, so growing it moves a fraction of the bytes.
///
/// Ids of posts no longer kept are remembered apart, compactly (`RecentPostIDs`), so a
/// first delivery costs one more set lookup and a remembered id a few bytes.
struct PostTable {
    final class Box: @unchecked Sendable {
        // Invariant: never mutated after init.
        let post: ScoredPost
        init(_ post: ScoredPost) { self.post = post }
    }

    private var boxes = IDTable<Box>()
    private var forgotten: RecentPostIDs

    /// An empty table remembering at most `rememberedIDs` ids of posts it no longer keeps.
    init(rememberedIDs: Int) {
        forgotten = RecentPostIDs(limit: rememberedIDs)
    }

    /// Number of stored posts (forgotten ids not included).
    var count: Int { boxes.count }

    /// Number of forgotten ids remembered.
    var forgottenCount: Int { forgotten.count }

    /// The stored posts, in no particular order.
    var values: some Sequence<ScoredPost> {
        boxes.values.lazy.map(\.post)
    }

    /// The stored post with `id`.
    subscript(id: String) -> ScoredPost? {
        boxes[id]?.post
    }

    /// Stores `post` unless its id is stored or remembered; returns whether it was stored.
    mutating func insertIfAbsent(_ post: ScoredPost) -> Bool {
        guard !forgotten.contains(post.id) else { return false }
        return boxes.insertIfAbsent(Box(post), forKey: post.id) == nil
    }

    /// Remembers `id` without storing a post, unless it is stored or remembered; returns
    /// whether it was new (a post counted but not kept).
    mutating func rememberIfAbsent(_ id: String) -> Bool {
        guard boxes[id] == nil, !forgotten.contains(id) else { return false }
        forgotten.insert(id)
        return true
    }

    /// Drops the stored post with `id` but remembers its id; returns the post.
    mutating func forget(_ id: String) -> ScoredPost? {
        guard let post = boxes.removeValue(forKey: id) else { return nil }
        forgotten.insert(id)
        return post.post
    }
}
