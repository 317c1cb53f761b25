import Foundation

/// A forward-only reader of the JSON grammar over the UTF-8 bytes of one line, for the
/// scanner's fast path (`StreamMessageScanner`): objects and arrays walked member by
/// member, values skipped with their grammar checked, strings kept as byte ranges when
/// they need no decoding. It knows nothing of stream messages; whatever it does not take
/// exactly as Foundation would (escaped keys, invalid UTF-8, lone surrogates, deep
/// nesting) throws `ScanFallback`, and the caller uses the general decoder.
struct JSONByteCursor {
    /// The line.
    let bytes: UnsafeRawBufferPointer
    /// The next byte to read.
    var index = 0
    /// Nesting of skipped values; deep nesting is left to the general decoder rather
    /// than recursed into.
    private var depth = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Whether only whitespace is left.
    mutating func isAtEnd() -> Bool {
        skipWhitespace()
        return index == bytes.count
    }

    // MARK: Structure

    /// Calls `body` with the name of each member of the object whose `{` was just read
    /// (as a range of the line: see `key()`), the cursor at the member's value.
    mutating func members(_ body: (Range<Int>, inout JSONByteCursor) throws(ScanFallback) -> Void) throws(ScanFallback) {
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") { index += 1; return }
        while true {
            skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else { throw ScanFallback() }
            let name = try key()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            try body(name, &self)
            skipWhitespace()
            switch try next() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "}"): return
            default: throw ScanFallback()
            }
        }
    }

    /// Calls `body` for each element of the array at the current position.
    mutating func elements(_ body: (inout JSONByteCursor) throws(ScanFallback) -> Void) throws(ScanFallback) {
        try expect(UInt8(ascii: "["))
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") { index += 1; return }
        while true {
            skipWhitespace()
            try body(&self)
            skipWhitespace()
            switch try next() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "]"): return
            default: throw ScanFallback()
            }
        }
    }

    /// Reads a member name (the opening quote is current) without allocating: the range
    /// of its bytes. Escaped, control or non-ASCII characters in names (none of the
    /// stream's have them) are left to the general decoder, which also validates UTF-8.
    private mutating func key() throws(ScanFallback) -> Range<Int> {
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { throw ScanFallback() }
            index += 1
        }
        guard index < bytes.count else { throw ScanFallback() }
        defer { index += 1 }
        return start..<index
    }

    /// Whether the bytes of `range` (whose length the caller checked) spell `word`.
    @inline(__always)
    func matches(_ range: Range<Int>, _ word: StaticString) -> Bool {
        let name = word.utf8Start
        for offset in 1..<word.utf8CodeUnitCount where bytes[range.lowerBound + offset] != name[offset] { return false }
        return true
    }

    /// Skips any JSON value, checking its grammar (so invalid JSON is never accepted).
    mutating func skipValue() throws(ScanFallback) {
        depth += 1
        defer { depth -= 1 }
        guard depth < 64 else { throw ScanFallback() }
        skipWhitespace()
        switch try peek() {
        case UInt8(ascii: "{"):
            index += 1
            try members { _, cursor throws(ScanFallback) in try cursor.skipValue() }
        case UInt8(ascii: "["):
            try elements { cursor throws(ScanFallback) in try cursor.skipValue() }
        case UInt8(ascii: "\""):
            _ = try rawString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: try number()
        }
    }

    private mutating func literal(_ word: StaticString) throws(ScanFallback) {
        let length = word.utf8CodeUnitCount
        guard index + length <= bytes.count,
              memcmp(bytes.baseAddress! + index, word.utf8Start, length) == 0 else { throw ScanFallback() }
        index += length
    }

    /// JSON number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func number() throws(ScanFallback) {
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw ScanFallback() }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else { skipDigits() }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw ScanFallback() }
            skipDigits()
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw ScanFallback() }
            skipDigits()
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    // MARK: Bytes

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    func peek() throws(ScanFallback) -> UInt8 {
        guard index < bytes.count else { throw ScanFallback() }
        return bytes[index]
    }

    mutating func next() throws(ScanFallback) -> UInt8 {
        guard index < bytes.count else { throw ScanFallback() }
        defer { index += 1 }
        return bytes[index]
    }

    /// Skips whitespace, then reads `byte` or throws.
    mutating func expect(_ byte: UInt8) throws(ScanFallback) {
        skipWhitespace()
        guard try next() == byte else { throw ScanFallback() }
    }
}

/// The fast path does not take this line (or not exactly as the general decoder would);
/// the caller falls back to it.
struct ScanFallback: Error {}
