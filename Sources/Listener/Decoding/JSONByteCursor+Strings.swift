import Foundation

extension JSONByteCursor {
    /// A string value as it stands in the line: ASCII without escapes stays a byte range
    /// (nothing to validate or decode, and nothing allocated unless the value is kept);
    /// anything else is decoded and validated at once, so fallbacks happen where they did.
    enum RawString {
        case ascii(Range<Int>)
        case decoded(String)
    }

    /// The string a raw string stands for.
    func materialize(_ raw: RawString) -> String {
        switch raw {
        case .ascii(let range): String(decoding: utf8(range), as: UTF8.self)
        case .decoded(let text): text
        }
    }

    /// The bytes of `range` of the line.
    func utf8(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeRawBufferPointer(rebasing: bytes[range]).bindMemory(to: UInt8.self)
    }

    /// Whether a raw string equals `text` as `String`s compare (canonical equivalence):
    /// byte equality when both are ASCII, `==` otherwise.
    func equals(_ raw: RawString, _ text: String) -> Bool {
        switch raw {
        case .ascii(let range): equals(range, text)
        case .decoded(let decoded): decoded == text
        }
    }

    /// Whether the ASCII bytes of `range` equal `text` as `String`s compare.
    func equals(_ range: Range<Int>, _ text: String) -> Bool {
        var text = text
        let ascii: Bool? = text.withUTF8 { utf8 in
            guard utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
            return utf8.count == range.count
                && (range.isEmpty || memcmp(bytes.baseAddress! + range.lowerBound, utf8.baseAddress!, range.count) == 0)
        }
        // Some non-ASCII strings are canonically equivalent to ASCII ones (U+212A KELVIN SIGN is "K").
        return ascii ?? (materialize(.ascii(range)) == text)
    }

    /// Reads a string value; anything but a string is a fallback (the general decoder
    /// knows what a number id or a null field means).
    mutating func string() throws(ScanFallback) -> String {
        materialize(try rawString())
    }

    /// Reads a string value without decoding it when it is plain ASCII.
    mutating func rawString() throws(ScanFallback) -> RawString {
        guard try peek() == UInt8(ascii: "\"") else { throw ScanFallback() }
        index += 1
        let start = index
        var union: UInt8 = 0
        var wideUnion: UInt64 = 0
        while true {
            // Eight bytes at a time while none of them ends the plain run (a quote, a
            // backslash, a control byte); non-ASCII bytes only join the union.
            while index &+ 8 <= bytes.count {
                let word = (bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
                if Self.hasSpecialByte(word) { break }
                wideUnion |= word
                index &+= 8
            }
            guard index < bytes.count else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let range = start..<index
                index += 1
                if union < 0x80, wideUnion & 0x8080_8080_8080_8080 == 0 { return .ascii(range) }
                // The typed-buffer initialiser is the fast, non-generic path (the generic
                // `validating:` looked up metadata per call).
                guard let text = String(validating: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self) else {
                    throw ScanFallback()
                }
                return .decoded(text)
            }
            union |= byte
            if byte == UInt8(ascii: "\\") { return .decoded(try escapedString(from: start)) }
            if byte < 0x20 { throw ScanFallback() }
            index += 1
        }
        throw ScanFallback()
    }

    /// Whether any byte of `word` is a quote, a backslash or below 0x20 (exact, by the classic
    /// has-zero-byte bit trick: a byte is flagged only if some byte matches).
    @inline(__always)
    private static func hasSpecialByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        let quote = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslash = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let control = (word &- ones &* 0x20) & ~word & highs != 0
        return control || hasZero(quote) || hasZero(backslash)
    }

    /// The slow path of `rawString()`: the string has escapes; `index` is at the first one.
    private mutating func escapedString(from start: Int) throws(ScanFallback) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(index - start + 16)
        utf8.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else { throw ScanFallback() }
                return text
            case UInt8(ascii: "\\"):
                switch try next() {
                case UInt8(ascii: "\""): utf8.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): utf8.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): utf8.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = UInt32(try hex4())
                    if (0xD800..<0xDC00).contains(scalar) {
                        // A high surrogate must be followed by `\u` and a low one.
                        guard try next() == UInt8(ascii: "\\"), try next() == UInt8(ascii: "u") else { throw ScanFallback() }
                        let low = UInt32(try hex4())
                        guard (0xDC00..<0xE000).contains(low) else { throw ScanFallback() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw ScanFallback()
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw ScanFallback() }
                    utf8.append(contentsOf: UTF8.encode(unicode)!)
                default:
                    throw ScanFallback()
                }
            default:
                if byte < 0x20 { throw ScanFallback() }
                utf8.append(byte)
            }
        }
        throw ScanFallback()
    }

    private mutating func hex4() throws(ScanFallback) -> UInt16 {
        guard index + 4 <= bytes.count else { throw ScanFallback() }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw ScanFallback()
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }
}
