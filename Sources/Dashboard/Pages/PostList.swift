import Foundation

/// A list of posts: text (escaped, direction from its own content), author, time,
/// label, compound and a link to the post on x.com.
enum PostList {
    static func render(_ posts: [PostView], now: Date, emptyText: String, cssClass: String) -> HTML {
        guard !posts.isEmpty else { return .element("p", [("class", "empty")], [.text(emptyText)]) }
        return .element("ol", [("class", "posts \(cssClass)")], posts.map { post($0, now: now) })
    }

    static func post(_ post: PostView, now: Date) -> HTML {
        var meta: [HTML] = [
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
