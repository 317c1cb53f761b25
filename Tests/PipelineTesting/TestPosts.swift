import Foundation
import PipelineModel
import Storage
import Sentiment

/// Builders of posts and scored posts for contract suites and tests.
public enum TestPosts {
    /// A post with whole-second times (they survive MongoDB's millisecond dates).
    public static func post(_ id: String, keywords: [String] = ["swift"], at seconds: Int = 1_767_225_600,
                            text: String? = nil) -> Post {
        Post(id: id, text: text ?? "post \(id)", keywords: keywords, authorID: "u\(id)",
             authorUsername: "user\(id)", lang: "en",
             createdAt: Date(timeIntervalSince1970: TimeInterval(seconds)),
             receivedAt: Date(timeIntervalSince1970: TimeInterval(seconds + 1)))
    }

    /// Posts `0..<count` (ids prefixed by `prefix`) one second apart.
    public static func posts(_ count: Int, prefix: String = "p", keywords: [String] = ["swift"]) -> [Post] {
        (0..<count).map { post("\(prefix)\($0)", keywords: keywords, at: 1_767_225_600 + $0) }
    }

    /// A post scored with `compound` (label by the usual ±0.05 rule).
    public static func scored(_ post: Post, compound: Double) -> ScoredPost {
        let positive = max(0, compound)
        let negative = max(0, -compound)
        return ScoredPost(post: post,
                          sentiment: SentimentResult(label: SentimentLabel(compound: compound), compound: compound,
                                                     positive: positive, neutral: 1 - positive - negative,
                                                     negative: negative),
                          engine: "test", engineVersion: "1",
                          scoredAt: post.receivedAt.addingTimeInterval(1))
    }

    /// A post counted but not scored (its language is not one the engine was trained for).
    public static func unscored(_ post: Post) -> ScoredPost {
        ScoredPost(post: post, sentiment: .unscored, engine: "test", engineVersion: "1",
                   scoredAt: post.receivedAt.addingTimeInterval(1))
    }

    /// A scored post in one step.
    public static func scored(_ id: String, keywords: [String] = ["swift"], at seconds: Int = 1_767_225_600,
                              compound: Double) -> ScoredPost {
        scored(post(id, keywords: keywords, at: seconds), compound: compound)
    }
}
