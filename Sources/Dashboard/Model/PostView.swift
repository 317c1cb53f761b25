import Foundation
import PipelineModel
import Storage

/// A scored post as pages and the API show it.
public struct PostView: Sendable, Codable, Equatable {
    /// Post id.
    public var id: String
    /// Post text (raw in JSON, escaped in HTML).
    public var text: String
    /// Keywords it matched.
    public var keywords: [String]
    /// Author handle, when known.
    public var author: String?
    /// Language tag, when known.
    public var lang: String?
    /// When it was posted (creation time, else receive time).
    public var timestamp: Date
    /// Sentiment label.
    public var label: SentimentLabel
    /// Compound score in −1…1.
    public var compound: Double
    /// The post on x.com, when the id is a numeric status id.
    public var url: String?

    /// The view of `scored`.
    public init(_ scored: ScoredPost) {
        id = scored.post.id
        text = scored.post.text
        keywords = scored.post.keywords
        author = scored.post.authorUsername
        lang = scored.post.lang
        timestamp = scored.post.timestamp
        label = scored.sentiment.label
        compound = scored.sentiment.compound
        url = Self.statusURL(id: scored.post.id)
    }

    /// `https://x.com/i/web/status/ID` for a numeric id; nil otherwise, so nothing from the
    /// data can shape a link.
    public static func statusURL(id: String) -> String? {
        guard !id.isEmpty, id.count <= 32, id.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return "https://x.com/i/web/status/\(id)"
    }
}
