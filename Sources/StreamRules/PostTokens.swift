/// The searchable form of a post's text: lower-cased word tokens in order, as the
/// filtered stream's keyword matching sees them.
///
/// X documents keyword matching as a *tokenized* match: text is split on
/// punctuation, symbols and separators, so `coffee` matches "Coffee!" but not
/// "coffeehouse". A token written right after `#` or `@` remembers that prefix so the
/// `#hashtag` and `@mention` forms can match only those tokens.
public struct PostTokens: Sendable, Equatable {
    /// One word of the text.
    public struct Token: Sendable, Equatable {
        /// The lower-cased word.
        public var text: Substring
        /// The character written directly before the word, when it was `#` or `@`.
        public var marker: Character?
    }

    /// The tokens in text order.
    public private(set) var tokens: [Token]

    /// Tokenizes `text` (case-folded with `lowercased()`; accents are kept, as X does).
    public init(_ text: String) {
        tokens = Self.tokenize(text.lowercased())
    }

    /// The plain token texts, e.g. to tokenize a rule keyword the same way as posts.
    public var words: [Substring] { tokens.map(\.text) }

    /// Whether `phrase` occurs as consecutive tokens (any marker).
    public func contains(phrase: [Substring]) -> Bool {
        guard !phrase.isEmpty, phrase.count <= tokens.count else { return false }
        for start in 0...(tokens.count - phrase.count) where tokens[start].text == phrase[0] {
            var matched = true
            for offset in 1..<phrase.count where tokens[start + offset].text != phrase[offset] {
                matched = false
                break
            }
            if matched { return true }
        }
        return false
    }

    /// Whether a token `word` carrying `marker` (`#` or `@`) occurs.
    public func contains(word: Substring, marker: Character) -> Bool {
        tokens.contains { $0.marker == marker && $0.text == word }
    }

    private static func tokenize(_ lowered: String) -> [Token] {
        var result: [Token] = []
        var start: String.Index?
        var marker: Character?
        var previous: Character?
        var index = lowered.startIndex
        while index < lowered.endIndex {
            let character = lowered[index]
            if isWordCharacter(character) {
                if start == nil {
                    start = index
                    marker = (previous == "#" || previous == "@") ? previous : nil
                }
            } else {
                if let begin = start {
                    result.append(Token(text: lowered[begin..<index], marker: marker))
                    start = nil
                }
                // Emoji are symbols, but X lets a rule match one: each is its own token.
                if isEmoji(character) {
                    let next = lowered.index(after: index)
                    result.append(Token(text: lowered[index..<next], marker: nil))
                }
            }
            previous = character
            index = lowered.index(after: index)
        }
        if let begin = start {
            result.append(Token(text: lowered[begin...], marker: marker))
        }
        return result
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        if character == "_" { return true }
        return character.isLetter || character.isNumber
    }

    private static func isEmoji(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first, !scalar.isASCII else { return false }
        return scalar.properties.isEmojiPresentation || (scalar.properties.isEmoji && scalar.value > 0x2000)
    }
}
