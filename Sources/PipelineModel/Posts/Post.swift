import Foundation

/// One post as the listener hands it to the queue: the fields the pipeline uses,
/// decoded from an X API v2 stream message.
public struct Post: Sendable, Hashable, Codable, Identifiable {
    /// The post id (a decimal string, as the API sends it).
    public var id: String
    /// The post text, HTML entities already decoded.
    public var text: String
    /// The keywords (rule tags) this post matched; never empty for a stream post.
    public var keywords: [String]
    /// The author's user id, when the stream was asked for it.
    public var authorID: String?
    /// The author's @handle, from `includes.users`, when expanded.
    public var authorUsername: String?
    /// BCP 47 language tag the API detected.
    public var lang: String?
    /// When the post was created, from `created_at`.
    public var createdAt: Date?
    /// When the listener received it (or, in a replay, when it was originally received).
    public var receivedAt: Date
    /// Gold label, present only in labelled evaluation feeds.
    public var goldLabel: SentimentLabel?

    public init(id: String, text: String, keywords: [String], authorID: String? = nil,
                authorUsername: String? = nil, lang: String? = nil, createdAt: Date? = nil,
                receivedAt: Date, goldLabel: SentimentLabel? = nil) {
        self.id = id
        self.text = text
        self.keywords = keywords
        self.authorID = authorID
        self.authorUsername = authorUsername
        self.lang = lang
        self.createdAt = createdAt
        self.receivedAt = receivedAt
        self.goldLabel = goldLabel
    }

    /// The time that places the post in an aggregate bucket: creation time when known,
    /// otherwise receive time (so replays rebuild the original timeline).
    public var timestamp: Date { createdAt ?? receivedAt }
}
