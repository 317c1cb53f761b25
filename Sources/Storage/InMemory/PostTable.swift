import PipelineModel

/// The in-memory store's posts by id, with dictionary semantics, and the ids of posts
/// that retention removed (or never kept), remembered so they are not counted again.
///
/// A `ScoredPost` is a few hundred bytes inline; a dictionary of them copies every post
/// each time it grows, under the store's lock, while every worker waits (a profile of
/// the 2-worker benchmark put a quarter of its time there). Boxing each post keeps the
/// table's entries to a key and a pointer, so growing it moves a fraction of the bytes.
///
/// A forgotten post stays in the table as its id and a shared empty box: `insertIfAbsent`
/// then still refuses it in the one lookup a first delivery costs anyway, and the post
/// itself (its text, most of its size) is freed. The store bounds how many it keeps.
struct PostTable {
    final class Box: @unchecked Sendable {
        // Invariant: never mutated after init.
        let post: ScoredPost?
        init(_ post: ScoredPost?) { self.post = post }
    }

    /// What a forgotten id maps to: one box shared by all of them.
    private static let forgotten = Box(nil)

    private var boxes = IDTable<Box>()

    /// Number of stored posts (forgotten ids not included).
    private(set) var count = 0

    /// Number of forgotten ids remembered.
    var forgottenCount: Int { boxes.count - count }

    /// The stored posts, in no particular order.
    var values: some Sequence<ScoredPost> {
        boxes.values.lazy.compactMap(\.post)
    }

    /// The stored post with `id` (nil for a forgotten one).
    subscript(id: String) -> ScoredPost? {
        boxes[id]?.post
    }

    /// Stores `post` unless its id is stored or remembered; returns whether it was stored
    /// (one lookup).
    mutating func insertIfAbsent(_ post: ScoredPost) -> Bool {
        guard boxes.insertIfAbsent(Box(post), forKey: post.id) == nil else { return false }
        count += 1
        return true
    }

    /// Remembers `id` without storing a post, unless it is stored or remembered; returns
    /// whether it was new (a post counted but not kept).
    mutating func rememberIfAbsent(_ id: String) -> Bool {
        boxes.insertIfAbsent(Self.forgotten, forKey: id) == nil
    }

    /// Drops the stored post with `id` but remembers its id; returns the post.
    mutating func forget(_ id: String) -> ScoredPost? {
        guard let post = boxes[id]?.post else { return nil }
        boxes.updateValue(Self.forgotten, forKey: id)
        count -= 1
        return post
    }

    /// Stops remembering the forgotten `id` (a stored post with that id stays).
    mutating func dropForgotten(_ id: String) {
        boxes.removeValue(forKey: id) { $0.post == nil }
    }
}
