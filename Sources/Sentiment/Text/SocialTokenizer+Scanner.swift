extension SocialTokenizer {
    /// The byte-level state machine: yields token ranges and kinds.
    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        var n: Int { bytes.count }

        mutating func next() -> (Range<Int>, SocialToken.Kind)? {
            while i < n {
                let start = i
                let c = bytes[i]
                if c < 0x80 {
                    if c == 0x20 || (c >= 0x09 && c <= 0x0D) || c < 0x20 || c == 0x7F { i += 1; continue }
                    if let token = asciiToken(c, start) { return token }
                    continue
                }
                let (scalar, length) = UTF8Scalars.decode(bytes, at: i)
                if scalar.properties.isWhitespace || scalar.properties.generalCategory == .format
                    && !UTF8Scalars.isEmojiExtender(scalar) && scalar.value != 0x200D {
                    i += length
                    continue
                }
                // A joiner or modifier with no emoji before it has nothing to attach to.
                if scalar.value == 0x200D || (UTF8Scalars.isEmojiExtender(scalar) && scalar.value < 0x1F3FB) {
                    i += length
                    continue
                }
                if UTF8Scalars.isRegionalIndicator(scalar) || UTF8Scalars.isEmojiStart(scalar) {
                    i += length
                    consumeEmojiTail(first: scalar)
                    return (start..<i, .emoji)
                }
                if UTF8Scalars.isWordScalar(scalar) {
                    return word(from: start)
                }
                i += length
                consumeExtenders()
                return (start..<i, .punctuation)
            }
            return nil
        }

        // MARK: ASCII starts

        private mutating func asciiToken(_ c: UInt8, _ start: Int) -> (Range<Int>, SocialToken.Kind)? {
            let atBoundary = start == 0 || !isASCIIWordByte(bytes[start - 1])
            if atBoundary, c | 0x20 == UInt8(ascii: "h") || c | 0x20 == UInt8(ascii: "w"),
               let end = urlEnd(from: start) {
                i = end
                return (start..<end, .url)
            }
            if (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "#") || c == UInt8(ascii: "*"),
               let end = keycapEnd(from: start) {
                i = end
                return (start..<end, .emoji)
            }
            if c == UInt8(ascii: "@"), i + 1 < n, isASCIIWordByte(bytes[i + 1]) || bytes[i + 1] == UInt8(ascii: "_") {
                i += 1
                while i < n, isASCIIWordByte(bytes[i]) || bytes[i] == UInt8(ascii: "_") { i += 1 }
                return (start..<i, .mention)
            }
            if c == UInt8(ascii: "#"), i + 1 < n, startsHashtagBody(at: i + 1) {
                i += 1
                while i < n {
                    if bytes[i] == UInt8(ascii: "_") { i += 1; continue }
                    let (s, len) = UTF8Scalars.decode(bytes, at: i)
                    guard UTF8Scalars.isWordScalar(s) else { break }
                    i += len
                }
                return (start..<i, .hashtag)
            }
            if Emoticons.starts.contains(c), let end = emoticonEnd(from: start, atBoundary: atBoundary) {
                i = end
                return (start..<end, .emoticon)
            }
            if isASCIIWordByte(c) { return word(from: start) }
            i += 1
            if c == UInt8(ascii: "!") || c == UInt8(ascii: "?") {
                while i < n, bytes[i] == UInt8(ascii: "!") || bytes[i] == UInt8(ascii: "?") { i += 1 }
            } else if c == UInt8(ascii: ".") {
                while i < n, bytes[i] == UInt8(ascii: ".") { i += 1 }
            }
            return (start..<i, .punctuation)
        }

        @inline(__always)
        func isASCIIWordByte(_ b: UInt8) -> Bool {
            let v = b | 0x20
            return (v >= 0x61 && v <= 0x7A) || (b >= 0x30 && b <= 0x39)
        }

        private func startsHashtagBody(at j: Int) -> Bool {
            if bytes[j] == UInt8(ascii: "_") { return true }
            return UTF8Scalars.isWordScalar(UTF8Scalars.decode(bytes, at: j).0)
        }

        /// `http://`, `https://` or `www.` followed by at least one byte, up to whitespace;
        /// trailing sentence punctuation is left out.
        private func urlEnd(from start: Int) -> Int? {
            let body: Int
            if hasPrefix("https://", at: start) {
                body = start + 8
            } else if hasPrefix("http://", at: start) {
                body = start + 7
            } else if hasPrefix("www.", at: start) {
                body = start + 4
            } else {
                return nil
            }
            guard body < n, !isSpace(bytes[body]) else { return nil }
            var end = body
            while end < n, !isSpace(bytes[end]) {
                if bytes[end] >= 0x80 {
                    let (s, len) = UTF8Scalars.decode(bytes, at: end)
                    if s.properties.isWhitespace || UTF8Scalars.isEmojiStart(s) { break }
                    end += len
                } else {
                    end += 1
                }
            }
            while end > body, ".,;:!?)]}\"'".utf8.contains(bytes[end - 1]) { end -= 1 }
            return end > body ? end : nil
        }

        private func hasPrefix(_ prefix: StaticString, at start: Int) -> Bool {
            var j = start
            let prefix = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
            for p in prefix {
                guard j < n else { return false }
                let b = bytes[j]
                guard b == p || (p >= 0x61 && p <= 0x7A && b == p - 0x20) else { return false }
                j += 1
            }
            return true
        }

        @inline(__always)
        private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

        /// `1️⃣`: a digit, `#` or `*`, an optional VS16, then U+20E3.
        private func keycapEnd(from start: Int) -> Int? {
            var j = start + 1
            if j + 2 < n, bytes[j] == 0xEF, bytes[j + 1] == 0xB8, bytes[j + 2] == 0x8F { j += 3 }
            if j + 2 < n, bytes[j] == 0xE2, bytes[j + 1] == 0x83, bytes[j + 2] == 0xA3 { return j + 3 }
            return nil
        }

        /// The longest emoticon at `start`; mouths may repeat (`:)))`). Faces starting with
        /// eyes (`:`, `;`, `=`) may follow a word (`great:)`); others need a boundary.
        private func emoticonEnd(from start: Int, atBoundary: Bool) -> Int? {
            let c = bytes[start]
            guard atBoundary || c == UInt8(ascii: ":") || c == UInt8(ascii: ";") || c == UInt8(ascii: "=")
            else { return nil }
            guard start + 1 < n, Emoticons.prefixes.contains(UInt16(c) << 8 | UInt16(bytes[start + 1])) else {
                return nil
            }
            var length = min(Emoticons.maxLength, n - start)
            while length >= 2 {
                var key = UInt64(length)
                for k in start..<(start + length) { key = key << 8 | UInt64(bytes[k]) }
                if Emoticons.all.contains(key) {
                    var end = start + length
                    let last = bytes[end - 1]
                    if Emoticons.repeatable.contains(last) {
                        while end < n, bytes[end] == last { end += 1 }
                    }
                    if end < n, isASCIIWordByte(last), isASCIIWordByte(bytes[end]) { return nil }
                    if end < n, isASCIIWordByte(bytes[end]), c == UInt8(ascii: "(") || c == UInt8(ascii: ")") {
                        return nil
                    }
                    return end
                }
                length -= 1
            }
            return nil
        }
    }
}
