/// Small helpers for scanning valid UTF-8 (what `String.utf8` yields) without building
/// `Character`s: the tokenizers stay on bytes for ASCII and decode scalars only when needed.
enum UTF8Scalars {
    /// The scalar starting at `i` and its length in bytes. Invalid sequences (impossible in
    /// bytes that came from a `String`, but cheap to guard) decode as U+FFFD of length 1.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int) {
        let b0 = UInt32(bytes[i])
        if b0 < 0x80 { return (Unicode.Scalar(UInt8(b0)), 1) }
        let n = bytes.count
        var value: UInt32
        var length: Int
        if b0 & 0xE0 == 0xC0 { value = b0 & 0x1F; length = 2 }
        else if b0 & 0xF0 == 0xE0 { value = b0 & 0x0F; length = 3 }
        else if b0 & 0xF8 == 0xF0 { value = b0 & 0x07; length = 4 }
        else { return ("\u{FFFD}", 1) }
        guard i + length <= n else { return ("\u{FFFD}", 1) }
        for k in 1..<length {
            let b = UInt32(bytes[i + k])
            guard b & 0xC0 == 0x80 else { return ("\u{FFFD}", 1) }
            value = value << 6 | (b & 0x3F)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// Whether the scalar is a letter, mark or number, i.e. can be part of a word.
    @inline(__always)
    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 {
            let v = s.value | 0x20
            return (v >= 0x61 && v <= 0x7A) || (s.value >= 0x30 && s.value <= 0x39)
        }
        let p = s.properties
        if p.isAlphabetic || p.numericType != nil { return true }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// Scalars that extend the emoji before them: variation selectors, skin-tone
    /// modifiers, the keycap mark and tag characters (subdivision flags).
    @inline(__always)
    static func isEmojiExtender(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0xFE0E, 0xFE0F, 0x20E3, 0x1F3FB...0x1F3FF, 0xE0020...0xE007F: return true
        default: return false
        }
    }

    /// A regional indicator letter; two of them make a flag.
    @inline(__always)
    static func isRegionalIndicator(_ s: Unicode.Scalar) -> Bool {
        s.value >= 0x1F1E6 && s.value <= 0x1F1FF
    }

    /// A non-ASCII scalar that starts an emoji.
    @inline(__always)
    static func isEmojiStart(_ s: Unicode.Scalar) -> Bool {
        s.value >= 0x80 && (s.properties.isEmoji || s.properties.isEmojiPresentation)
    }
}
