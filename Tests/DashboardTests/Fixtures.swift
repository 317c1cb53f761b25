import Dashboard
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PipelineModel
import Storage
import Sentiment

/// Posts and stores with known contents, and the app built over them.
enum Fixtures {
    /// The injected "now" of every router test: 2026-11-29T12:00:30Z.
    static let now = Date(timeIntervalSince1970: 1_795_953_630)

    static func post(_ id: String, _ text: String, keywords: [String] = ["swift"], compound: Double,
                     secondsAgo: Double, author: String? = "alice") -> ScoredPost {
        let at = now.addingTimeInterval(-secondsAgo)
        return ScoredPost(
            post: Post(id: id, text: text, keywords: keywords, authorUsername: author, createdAt: at, receivedAt: at),
            sentiment: SentimentResult(label: SentimentLabel(compound: compound), compound: compound,
                                       positive: 0, neutral: 1, negative: 0),
            engine: "test", engineVersion: "1", scoredAt: at)
    }

    static let xssText = "<script>alert(1)</script> \"onmouseover=alert(2) 'x' \u{202E}evil\u{202C} 🎉"

    /// swift: 4 posts in the last 5 minutes (2 positive, 1 neutral, 1 negative);
    /// rust: 1 post 3 hours ago; "c++ <b>": 1 post with markup text.
    static func store() async throws -> InMemorySentimentStore {
        let store = InMemorySentimentStore()
        _ = try await store.record(posts)
        return store
    }

    /// The posts of `store()`.
    static var posts: [ScoredPost] {
        [
            post("1001", "I love it", compound: 0.8, secondsAgo: 30),
            post("1002", "great stuff", compound: 0.6, secondsAgo: 90),
            post("1003", "meh", compound: 0.0, secondsAgo: 150),
            post("1004", xssText, compound: -0.9, secondsAgo: 240, author: "<img src=x onerror=alert(3)>"),
            post("2001", "borrow checker again", keywords: ["rust"], compound: -0.4, secondsAgo: 3 * 3600),
            post("3001", "<b>bold</b> & co", keywords: ["c++ <b>"], compound: 0.3, secondsAgo: 60),
        ]
    }

    /// A token `AccessTokenPolicy` accepts (what `openssl rand -hex 24` prints).
    static let strongToken = "9f2c4e7a1b8d3f60c5a7e9b2d4f61a3c8e0b7d5f2a4c6e81"

    static func configuration(token: String? = nil, host: String = "127.0.0.1") -> DashboardConfiguration {
        DashboardConfiguration(host: host, port: 0, accessToken: token, now: { now },
                               heartbeatInterval: .seconds(3600))
    }

    static func app(store: any SentimentStore, configuration: DashboardConfiguration = configuration())
        throws -> some ApplicationProtocol {
        try buildApplication(store: store, configuration: configuration, logger: Logger(label: "test"))
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
