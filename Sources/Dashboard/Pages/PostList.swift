import Foundation

/// A list of posts: text (escaped, direction from its own content), author, time,
/// label, compound and a link to the post on x.com.
enum PostList {
    /// The list, posts with the same text collapsed into one row "×N" (`PostGroup`).
    static func render(_ posts: [PostView], now: Date, emptyText: String, cssClass: String) -> HTML {
        guard !posts.isEmpty else { return .element("p", [("class", "empty")], [.text(emptyText)]) }
        return .element("ol", [("class", "posts \(cssClass)")],
                        PostGroup.collapse(posts).map { post($0.post, now: now, count: $0.count) })
    }

    static func post(_ post: PostView, now: Date, count: Int = 1) -> HTML {
        var meta: [HTML] = count > 1 ? [.element("span", [("class", "times"), ("data-count", String(count))],
                                                 [.text("×\(count)")]), .text(" ")] : []
        meta += [
            .element("span", [("class", "badge \(post.label.rawValue)")], [.text(post.label.rawValue)]),
            .text(" compound \(NumberFormat.compound(post.compound)) · "),
        ]
        if let author = post.author {
            meta.append(.element("bdi", [], [.text("@" + author)]))
            meta.append(.text(" · "))
        }
        meta.append(.element("time", [("datetime", TimeFormat.iso8601(post.timestamp)),
                                      ("title", TimeFormat.dayAndClock(post.timestamp) + " UTC")],
                             [.text(TimeFormat.age(of: post.timestamp, now: now))]))
        if let url = post.url {
            meta.append(.text(" · "))
            meta.append(.element("a", [("href", url), ("rel", "noopener noreferrer nofollow"),
                                       ("target", "_blank")], [.text("view on x.com")]))
        }
        return .element("li", [("class", "post"), ("data-post-id", post.id)], [
            .element("p", [("dir", "auto")], [.text(post.text)]),
            .element("div", [("class", "meta")], meta),
        ])
    }
}
