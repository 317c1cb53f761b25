/// The default Naive Bayes tokenizer (`words-v1`): fast, byte-level, deterministic.
///
/// - Words are runs of ASCII letters, digits, `_` and any non-ASCII bytes (so accented
///   words and emoji stay whole); an apostrophe between two letters stays inside the
///   word (`don't`). ASCII letters are lowercased; other characters are kept as they are.
/// - Runs of other non-space ASCII characters are tokens too (`!!`, `:)`, `?`), since
///   punctuation and emoticons carry sentiment in tweets.
/// - The HTML entities the X API leaves in text (`&amp;`, `&lt;`, `&gt;`, `&quot;`,
///   `&#39;`) count as the character they stand for.
public struct WordTokenizer: TextTokenizer {
    /// Saved in models; bump when the rules above change.
    public let identifier = "words-v1"

    /// The tokenizer.
    public init() {}

    /// The tokens of `text`.
    public func tokens(_ text: String) -> [String] {
        var result: [String] = []
        forEachToken(in: text) { result.append(String(decoding: $0, as: UTF8.self)) }
        return result
    }

    /// Scans the UTF-8 bytes once, lowercasing into a scratch buffer the tokens point into.
    public func forEachToken(in text: String, _ body: (UnsafeRawBufferPointer) -> Void) {
        var text = text
        text.withUTF8 { source in
            let count = source.count
            guard count > 0 else { return }
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { lower in
                for i in 0..<count {
                    let byte = source[i]
                    lower[i] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                }
                var i = 0
                while i < count {
                    let byte = lower[i]
                    if Self.isWord(byte) {
                        let start = i
                        i += 1
                        while i < count {
                            let next = lower[i]
                            if Self.isWord(next) {
                                i += 1
                            } else if next == 0x27, i + 1 < count, Self.isLetter(lower[i + 1]), Self.isLetter(lower[i - 1]) {
                                i += 2
                            } else {
                                break
                            }
                        }
                        body(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: lower[start..<i])))
                    } else if Self.isSpace(byte) {
                        i += 1
                    } else {
                        // A run of punctuation, decoded in place: an entity is longer than
                        // its character, so the write position never passes the read one.
                        let start = i
                        var end = i
                        while i < count, !Self.isWord(lower[i]), !Self.isSpace(lower[i]) {
                            if lower[i] == 0x26, let (character, length) = Self.entity(UnsafeBufferPointer(lower), at: i) {
                                lower[end] = character
                                i += length
                            } else {
                                lower[end] = lower[i]
                                i += 1
                            }
                            end += 1
                        }
                        body(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: lower[start..<end])))
                    }
                }
            }
        }
    }

    @inline(__always) static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || byte >= 0x80
    }

    @inline(__always) static func isWord(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte >= 0x80
            || (byte >= 0x41 && byte <= 0x5A)
    }

    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    private static let entities: [(name: [UInt8], character: UInt8)] = [
        (Array("&amp;".utf8), 0x26), (Array("&lt;".utf8), 0x3C), (Array("&gt;".utf8), 0x3E),
        (Array("&quot;".utf8), 0x22), (Array("&#39;".utf8), 0x27),
    ]

    /// The character an entity at `position` stands for and the entity's length.
    private static func entity(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> (UInt8, Int)? {
        for entity in entities where position + entity.name.count <= bytes.count {
            var matches = true
            for k in 0..<entity.name.count where bytes[position + k] != entity.name[k] {
                matches = false
                break
            }
            if matches { return (entity.character, entity.name.count) }
        }
        return nil
    }
}
