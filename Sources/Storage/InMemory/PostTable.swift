import PipelineModel

/// The in-memory store's posts by id, with dictionary semantics.
///
/// A `ScoredPost` is a few hundred bytes inline; a dictionary of them copies every post
/// each time it grows, under the store's lock, while every worker waits (a profile of
/// the 2-worker benchmark put a quarter of its time there). Boxing each post keeps the
/// table's entries to a key and a pointer, so growing it moves a fraction of the bytes.
struct PostTable {
    final class Box: @unchecked Sendable {
        // Invariant: never mutated after init.
        let post: ScoredPost
        init(_ post: ScoredPost) { self.post = post }
    }

    private var boxes = IDTable<Box>()

    /// Number of stored posts.
    var count: Int { boxes.count }

    /// The stored posts, in no particular order.
    var values: some Sequence<ScoredPost> {
        boxes.values.lazy.map(\.post)
    }

    /// The post with `id`; assigning nil removes it.
    subscript(id: String) -> ScoredPost? {
        get { boxes[id]?.post }
        set { boxes[id] = newValue.map(Box.init) }
    }

    /// Stores `post` unless its id is stored; returns whether it was stored (one lookup).
    mutating func insertIfAbsent(_ post: ScoredPost) -> Bool {
        boxes.insertIfAbsent(Box(post), forKey: post.id) == nil
    }

    /// Removes and returns the post with `id`.
    mutating func removeValue(forKey id: String) -> ScoredPost? {
        boxes.removeValue(forKey: id)?.post
    }
}
