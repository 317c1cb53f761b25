/// The scanner's non-ASCII and word-like tokens: words with contractions, numbers,
/// emoji sequences and their extenders.
extension SocialTokenizer.Scanner {
    /// Letters, digits and marks, joined across inner apostrophes (`'`, `’`) and hyphens
    /// when a word character follows. All digits (with inner `.`/`,`) make a number.
    mutating func word(from start: Int) -> (Range<Int>, SocialToken.Kind) {
        var allDigits = true
        i = start
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                if isASCIIWordByte(b) {
                    if b > 0x39 { allDigits = false }
                    i += 1
                    continue
                }
                let joinsWords = b == UInt8(ascii: "'") || b == UInt8(ascii: "-")
                let joinsDigits = allDigits && (b == UInt8(ascii: ".") || b == UInt8(ascii: ","))
                if (joinsWords || joinsDigits), i + 1 < n, i > start {
                    let next = bytes[i + 1]
                    if joinsDigits && next >= 0x30 && next <= 0x39 { i += 1; continue }
                    if joinsWords, next >= 0x80 ? UTF8Scalars.isWordScalar(UTF8Scalars.decode(bytes, at: i + 1).0)
                        : isASCIIWordByte(next) {
                        allDigits = false
                        i += 1
                        continue
                    }
                }
                break
            }
            let (s, len) = UTF8Scalars.decode(bytes, at: i)
            if s.value == 0x2019, i + len < n, i > start {
                let (nextScalar, _) = UTF8Scalars.decode(bytes, at: i + len)
                if UTF8Scalars.isWordScalar(nextScalar) { allDigits = false; i += len; continue }
            }
            guard UTF8Scalars.isWordScalar(s), !UTF8Scalars.isEmojiExtender(s) else { break }
            if s.properties.numericType == nil { allDigits = false }
            i += len
        }
        return (start..<i, allDigits ? .number : .word)
    }

    /// Extends an emoji that began with `first` over modifiers, variation selectors,
    /// tags, ZWJ-joined emoji and the second regional indicator of a flag.
    mutating func consumeEmojiTail(first: Unicode.Scalar) {
        if UTF8Scalars.isRegionalIndicator(first) {
            if i < n {
                let (s, len) = UTF8Scalars.decode(bytes, at: i)
                if UTF8Scalars.isRegionalIndicator(s) { i += len }
            }
            return
        }
        while i < n {
            consumeExtenders()
            guard i < n else { return }
            let (s, len) = UTF8Scalars.decode(bytes, at: i)
            guard s.value == 0x200D, i + len < n else { return }
            let (joined, joinedLength) = UTF8Scalars.decode(bytes, at: i + len)
            guard UTF8Scalars.isEmojiStart(joined) else { return }
            i += len + joinedLength
        }
    }

    mutating func consumeExtenders() {
        while i < n, bytes[i] >= 0x80 {
            let (s, len) = UTF8Scalars.decode(bytes, at: i)
            guard UTF8Scalars.isEmojiExtender(s) else { return }
            i += len
        }
    }
}
