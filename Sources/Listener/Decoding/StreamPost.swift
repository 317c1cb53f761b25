import Foundation
import PipelineModel

/// A post as decoded from the stream, before its keywords are resolved (`KeywordResolver`).
public struct StreamPost: Sendable, Hashable {
    /// The post id; the only field the API guarantees.
    public var id: String
    /// The text, with the HTML entities X escapes (`&amp;`, `&lt;`, `&gt;`) decoded.
    public var text: String
    /// The author's user id, when requested.
    public var authorID: String?
    /// The author's handle, from `includes.users` (or a flattened `author` object).
    public var authorUsername: String?
    /// Detected language.
    public var lang: String?
    /// Creation time, from `created_at`.
    public var createdAt: Date?
    /// The rules this post matched (possibly several; `tag` may be absent).
    public var matchingRules: [MatchingRule]
    /// A human gold label (`gold_label` in labelled evaluation feeds; never sent by X).
    public var goldLabel: SentimentLabel?

    /// Creates a post.
    public init(id: String, text: String, authorID: String? = nil, authorUsername: String? = nil,
                lang: String? = nil, createdAt: Date? = nil, matchingRules: [MatchingRule] = [],
                goldLabel: SentimentLabel? = nil) {
        self.id = id
        self.text = text
        self.authorID = authorID
        self.authorUsername = authorUsername
        self.lang = lang
        self.createdAt = createdAt
        self.matchingRules = matchingRules
        self.goldLabel = goldLabel
    }

    /// What `rules` makes of this post's keywords.
    public func resolveKeywords(with rules: KeywordResolver) -> KeywordResolver.Resolution {
        rules.resolve(text: text, lang: lang, authorUsername: authorUsername, matchingRules: matchingRules)
    }

    /// The pipeline's `Post`, counted under `keywords`.
    public func post(receivedAt: Date, keywords: [String]) -> Post {
        Post(id: id, text: text, keywords: keywords,
             authorID: authorID, authorUsername: authorUsername, lang: lang,
             createdAt: createdAt, receivedAt: receivedAt, goldLabel: goldLabel)
    }
}

/// One entry of a message's `matching_rules`.
public struct MatchingRule: Sendable, Hashable {
    /// The rule id.
    public var id: String
    /// The rule's tag, when it has one.
    public var tag: String?

    /// Creates a matching rule reference.
    public init(id: String, tag: String? = nil) {
        self.id = id
        self.tag = tag
    }
}

/// One element of an in-stream `errors` array.
public struct StreamError: Sendable, Hashable {
    /// `title`, e.g. "operational-disconnect".
    public var title: String?
    /// `type`, a problem URI.
    public var type: String?
    /// `detail`, human-readable.
    public var detail: String?
    /// `disconnect_type`, informative only (its values vary).
    public var disconnectType: String?

    /// Creates an error entry.
    public init(title: String? = nil, type: String? = nil, detail: String? = nil, disconnectType: String? = nil) {
        self.title = title
        self.type = type
        self.detail = detail
        self.disconnectType = disconnectType
    }

    /// Recognised by `title` or `type`, never by `disconnect_type` (real payloads vary).
    public var isOperationalDisconnect: Bool {
        title?.lowercased() == "operational-disconnect"
            || (type?.lowercased().hasSuffix("/operational-disconnect") ?? false)
    }
}
