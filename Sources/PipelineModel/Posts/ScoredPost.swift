import Foundation

/// A post with the sentiment an engine gave it: one document of the `tweets` collection.
public struct ScoredPost: Sendable, Hashable, Codable, Identifiable {
    /// The post as received.
    public var post: Post
    /// The engine's verdict.
    public var sentiment: SentimentResult
    /// Engine name (`lexicon`, `bayes`, `hybrid`).
    public var engine: String
    /// Engine and model version.
    public var engineVersion: String
    /// When the consumer scored it.
    public var scoredAt: Date

    public init(post: Post, sentiment: SentimentResult, engine: String, engineVersion: String,
                scoredAt: Date) {
        self.post = post
        self.sentiment = sentiment
        self.engine = engine
        self.engineVersion = engineVersion
        self.scoredAt = scoredAt
    }

    /// The post id.
    public var id: String { post.id }
}
