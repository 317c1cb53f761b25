extension LexiconScorer {
    /// Splits the text as the reference does: emoji scalars become their descriptions,
    /// tokens are runs between Python whitespace, and ASCII punctuation is trimmed from
    /// both ends unless that leaves two characters or fewer (so `:)` and `ok.` survive).
    func segment(_ text: UnsafeBufferPointer<UInt8>, into ws: inout Workspace) {
        ws.reset()
        if !emoji.isEmpty, substituteEmoji(text, into: &ws.substituted) {
            let substituted = ws.substituted
            substituted.withUnsafeBufferPointer { segmentWords($0, into: &ws) }
        } else {
            segmentWords(text, into: &ws)
        }
    }

    /// Writes the text with every emoji scalar replaced by its description into `out`;
    /// returns false (leaving `out` unspecified) when the text has no emoji. A
    /// description is preceded by a space unless a space precedes it, and followed by nothing.
    private func substituteEmoji(_ text: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
        var first = -1
        var i = 0
        let n = text.count
        while i < n {
            if text[i] < 0x80 { i += 1; continue }
            let (scalar, length) = UTF8Scalars.decode(text, at: i)
            if emoji[scalar.value] != nil { first = i; break }
            i += length
        }
        guard first >= 0 else { return false }
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: text[0..<first]))
        var previousIsSpace = first == 0 || text[first - 1] == 0x20
        i = first
        while i < n {
            let (scalar, length) = UTF8Scalars.decode(text, at: i)
            if scalar.value >= 0x80, let description = emoji[scalar.value] {
                if !previousIsSpace { out.append(0x20) }
                out.append(contentsOf: description)
                previousIsSpace = false
            } else {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: text[i..<(i + length)]))
                previousIsSpace = scalar == " "
            }
            i += length
        }
        return true
    }

    private func segmentWords(_ bytes: UnsafeBufferPointer<UInt8>, into ws: inout Workspace) {
        let n = bytes.count
        var i = 0
        var upperCount = 0
        while i < n {
            let space = Self.pythonSpaceLength(bytes, at: i)
            if space > 0 { i += space; continue }
            let start = i
            var ascii = true
            while i < n {
                let c = bytes[i]
                if c < 0x80 {
                    if c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F) { break }
                    if c == UInt8(ascii: "!") { ws.exclamations += 1 } else if c == UInt8(ascii: "?") { ws.questions += 1 }
                    i += 1
                } else {
                    if Self.pythonSpaceLength(bytes, at: i) > 0 { break }
                    ascii = false
                    i += 1
                }
            }
            let token = trimmedToken(bytes, start, i)
            let isUpper = appendWord(UnsafeBufferPointer(rebasing: bytes[token]), ascii: ascii, to: &ws)
            if isUpper { upperCount += 1 }
        }
        let count = ws.ids.count
        ws.capsDiffer = upperCount > 0 && upperCount < count
    }

    /// The token without surrounding ASCII punctuation, or the whole token when trimming
    /// would leave at most two characters (Unicode scalars).
    @inline(__always)
    private func trimmedToken(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Range<Int> {
        var s = start
        var e = end
        while s < e, Self.isASCIIPunctuation(bytes[s]) { s += 1 }
        while e > s, Self.isASCIIPunctuation(bytes[e - 1]) { e -= 1 }
        if s == start && e == end { return start..<end }
        var scalars = 0
        var k = s
        while k < e, scalars <= 2 {
            if bytes[k] & 0xC0 != 0x80 { scalars += 1 }
            k += 1
        }
        return scalars > 2 ? s..<e : start..<end
    }

    /// Looks the token up and records its features; returns whether it is ALL CAPS.
    private func appendWord(_ token: UnsafeBufferPointer<UInt8>, ascii: Bool, to ws: inout Workspace) -> Bool {
        var isUpper: Bool
        var hasNT = false
        var id: Int32
        if ascii {
            var sawUpper = false
            var sawLower = false
            var previous2: UInt8 = 0
            var previous1: UInt8 = 0
            // The lookup hash (of the ASCII-lowercased bytes) is taken in the same pass.
            var hash = WordTable.hashSeed
            for b in token {
                let lower: UInt8
                if b >= 0x41 && b <= 0x5A { sawUpper = true; lower = b | 0x20 } else {
                    if b >= 0x61 && b <= 0x7A { sawLower = true }
                    lower = b
                }
                hash = WordTable.hash(hash, adding: lower)
                if lower == UInt8(ascii: "t"), previous1 == UInt8(ascii: "'"), previous2 == UInt8(ascii: "n") {
                    hasNT = true
                }
                previous2 = previous1
                previous1 = lower
            }
            isUpper = sawUpper && !sawLower
            id = table.find(token, hash: hash, lowercasingASCII: true) ?? -1
        } else {
            let original = String(decoding: token, as: UTF8.self)
            isUpper = Self.pythonIsUpper(original)
            var lowered = original.lowercased()
            id = lowered.withUTF8 { bytes in
                let hash = WordTable.hash(bytes, lowercasingASCII: false)
                return table.find(bytes, hash: hash, lowercasingASCII: false) ?? -1
            }
            hasNT = lowered.utf8.count >= 3 && lowered.contains("n't")
        }
        ws.ids.append(id)
        ws.upper.append(isUpper)
        ws.hasNT.append(hasNT)
        return isUpper
    }

    /// Python's `str.isupper`: some cased character and no lowercase or titlecase one.
    static func pythonIsUpper(_ text: String) -> Bool {
        var cased = false
        for scalar in text.unicodeScalars {
            let properties = scalar.properties
            if properties.isLowercase || properties.generalCategory == .titlecaseLetter { return false }
            if properties.isUppercase { cased = true }
        }
        return cased
    }

    /// Python's `string.punctuation`.
    @inline(__always)
    static func isASCIIPunctuation(_ b: UInt8) -> Bool {
        (b >= 0x21 && b <= 0x2F) || (b >= 0x3A && b <= 0x40) || (b >= 0x5B && b <= 0x60) || (b >= 0x7B && b <= 0x7E)
    }

    /// Length in bytes of the Python whitespace character (`str.split()` separators) at `i`, or 0.
    @inline(__always)
    static func pythonSpaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let b = bytes[i]
        if b < 0x80 {
            return b == 0x20 || (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x1F) ? 1 : 0
        }
        let n = bytes.count
        switch b {
        case 0xC2:
            // U+0085 NEL, U+00A0 NBSP
            return i + 1 < n && (bytes[i + 1] == 0x85 || bytes[i + 1] == 0xA0) ? 2 : 0
        case 0xE1:
            // U+1680 OGHAM SPACE MARK
            return i + 2 < n && bytes[i + 1] == 0x9A && bytes[i + 2] == 0x80 ? 3 : 0
        case 0xE2:
            guard i + 2 < n else { return 0 }
            let b1 = bytes[i + 1], b2 = bytes[i + 2]
            // U+2000…U+200A, U+2028, U+2029, U+202F, U+205F
            if b1 == 0x80, (b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF { return 3 }
            if b1 == 0x81, b2 == 0x9F { return 3 }
            return 0
        case 0xE3:
            // U+3000 IDEOGRAPHIC SPACE
            return i + 2 < n && bytes[i + 1] == 0x80 && bytes[i + 2] == 0x80 ? 3 : 0
        default:
            return 0
        }
    }
}
