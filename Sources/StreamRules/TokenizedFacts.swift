/// `PostFacts` for the compiled matcher: the text stays bytes, and the facts only some
/// rules ask about are worked out on first use, once per post.
struct TokenizedFacts {
    /// The post text, UTF-8.
    let text: UnsafeBufferPointer<UInt8>
    /// The post's `lang`.
    let lang: String?
    /// The author's handle.
    let authorUsername: String?
    private var retweet: Bool?
    private var links: Bool?

    init(text: UnsafeBufferPointer<UInt8>, lang: String?, authorUsername: String?) {
        self.text = text
        self.lang = lang
        self.authorUsername = authorUsername
    }

    /// `PostFacts.isRetweet`.
    var isRetweet: Bool {
        mutating get {
            if let retweet { return retweet }
            let found = text.starts(with: "RT @".utf8)
            retweet = found
            return found
        }
    }

    /// `PostFacts.hasLinks`.
    var hasLinks: Bool {
        mutating get {
            if let links { return links }
            let found = PostFacts.containsLink(text)
            links = found
            return found
        }
    }

    /// Whether `value` lower-cased equals `lowered`: by folding ASCII in place, or
    /// through `lowercased()` (what `RuleQuery` does) when `value` is not ASCII.
    static func equalsFolded(_ value: String?, _ lowered: [UInt8]) -> Bool {
        guard let value else { return false }
        guard value.utf8.allSatisfy({ $0 < 0x80 }) else { return value.lowercased().utf8.elementsEqual(lowered) }
        return value.utf8.count == lowered.count
            && zip(value.utf8, lowered).allSatisfy { ASCIIWord.folded($0) == $1 }
    }
}

/// The byte classes of the ASCII tokenizer: the same word characters as `PostTokens`
/// (letters, digits, `_`) restricted to ASCII.
enum ASCIIWord {
    /// Whether `byte` is an ASCII letter, digit or `_`.
    @inline(__always)
    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: "_")
    }

    /// `byte` with `A`…`Z` lower-cased.
    @inline(__always)
    static func folded(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }
}
