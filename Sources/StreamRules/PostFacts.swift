/// What a rule can test about one post: its text as tokens, its language, its author,
/// and two facts read from the text.
///
/// Both facts are defined on the text alone, so a live stream, an archive and a bare
/// post file agree on them:
/// - a post is a retweet when its text starts with `RT @` (how X writes a retweet's
///   text; the decoder does not keep `referenced_tweets`);
/// - a post has links when its text contains `http://` or `https://` (any case)
///   followed by a non-space character (X writes every link as a `https://t.co/…` URL).
public struct PostFacts: Sendable {
    /// The text's tokens.
    public var tokens: PostTokens
    /// The post's `lang`, when known.
    public var lang: String?
    /// The author's handle without `@`, when known.
    public var authorUsername: String?
    /// `is:retweet`.
    public var isRetweet: Bool
    /// `has:links`.
    public var hasLinks: Bool

    /// The facts of a post with this text, language and author.
    public init(text: String, lang: String? = nil, authorUsername: String? = nil) {
        tokens = PostTokens(text)
        self.lang = lang
        self.authorUsername = authorUsername
        isRetweet = text.utf8.starts(with: "RT @".utf8)
        hasLinks = Array(text.utf8).withUnsafeBufferPointer { Self.containsLink($0) }
    }

    /// Whether `bytes` (UTF-8) hold `http://` or `https://`, any case, followed by a
    /// byte above space.
    static func containsLink(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for start in bytes.indices where bytes[start] | 0x20 == UInt8(ascii: "h") {
            var index = start
            for expected in "http".utf8 {
                guard index < bytes.count, bytes[index] | 0x20 == expected else { break }
                index += 1
            }
            guard index == start + 4 else { continue }
            if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "s") { index += 1 }
            guard index + 3 < bytes.count, bytes[index] == UInt8(ascii: ":"), bytes[index + 1] == UInt8(ascii: "/"),
                  bytes[index + 2] == UInt8(ascii: "/"), bytes[index + 3] > 0x20 else { continue }
            return true
        }
        return false
    }
}
