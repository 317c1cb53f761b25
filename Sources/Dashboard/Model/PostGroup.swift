/// Posts with the same normalised text shown as one row "×N": retweets and copy-paste
/// campaigns would otherwise fill a list with one message. Only the display collapses;
/// every count and export still has each post.
public struct PostGroup: Sendable, Equatable {
    /// The first post of the group in list order (the newest, in a newest-first list).
    public var post: PostView
    /// Posts in the group, at least 1.
    public var count: Int

    /// `posts` grouped by `normalised(_:)` text, in the order each text first appears.
    public static func collapse(_ posts: [PostView]) -> [PostGroup] {
        var groups: [PostGroup] = []
        var index: [String: Int] = [:]
        for post in posts {
            let key = normalised(post.text)
            if let at = index[key] {
                groups[at].count += 1
            } else {
                index[key] = groups.count
                groups.append(PostGroup(post: post, count: 1))
            }
        }
        return groups
    }

    /// Lowercased, a leading `RT @name:` dropped, links dropped, runs of spaces as one.
    static func normalised(_ text: String) -> String {
        var words = text.lowercased().split(whereSeparator: \.isWhitespace)
        if words.count >= 2, words[0] == "rt", words[1].hasPrefix("@") { words.removeFirst(2) }
        return words.filter { !$0.hasPrefix("http://") && !$0.hasPrefix("https://") }.joined(separator: " ")
    }
}
