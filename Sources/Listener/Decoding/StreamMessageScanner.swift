import PipelineModel
import Foundation

/// The fast path of `StreamMessage.decode`: a single pass over the UTF-8 bytes of the
/// common stream message — `{"data":{post},"includes":{"users":[…]},"matching_rules":[…]}`
/// with any key order and unknown keys skipped — that allocates only the strings the
/// pipeline keeps. Anything else (a bare post, a twarc2 page, `errors`, a field of an
/// unexpected type, invalid JSON or UTF-8, escaped keys, lone surrogates) returns nil and
/// the caller uses the Foundation decoder, so the result is always what that decoder says.
struct StreamMessageScanner {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    /// Nesting of skipped values; deep nesting is left to the general decoder rather
    /// than recursed into.
    private var depth = 0

    /// Not recognised here; the caller falls back.
    private struct Fallback: Error {}

    private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// The message, or nil when the Foundation decoder must decide.
    static func scan(_ line: UnsafeRawBufferPointer) -> StreamMessage? {
        scanPost(line).map { .posts([$0]) }
    }

    /// The post of a common stream message (the only shape the scanner takes), or nil
    /// when the Foundation decoder must decide.
    static func scanPost(_ line: UnsafeRawBufferPointer) -> StreamPost? {
        var scanner = StreamMessageScanner(line)
        return try? scanner.post()
    }

    // MARK: Message shape

    private struct PostFields {
        var id: String?
        var text: RawString?
        var authorID: String?
        var lang: String?
        var createdAt: RawString?
        var goldLabel: RawString?
    }

    /// One `includes.users` entry with both fields.
    private struct User {
        var id: RawString
        var username: RawString
    }

    /// `includes.users` in order. A stream message expands one author, so the first entry
    /// is kept inline and only further ones cost an array.
    private struct Users {
        var first: User?
        var more: [User] = []

        mutating func append(_ user: User) {
            if first == nil { first = user } else { more.append(user) }
        }

        /// The first entry satisfying `predicate`.
        func first(where predicate: (User) -> Bool) -> User? {
            guard let first else { return nil }
            return predicate(first) ? first : more.first(where: predicate)
        }
    }

    /// The post of a single-post stream message.
    private mutating func post() throws(Fallback) -> StreamPost {
        var post: PostFields?
        // In order; the first entry for an id wins, as in the general decoder's dictionary.
        // Almost always one entry: a list searched once beats hashing every id.
        var users = Users()
        var rules: [MatchingRule] = []
        try expect(UInt8(ascii: "{"))
        try members { key, scanner throws(Fallback) in
            switch key {
            case .data:
                guard post == nil else { throw Fallback() }
                post = try scanner.postFields()
            case .includes:
                try scanner.expect(UInt8(ascii: "{"))
                try scanner.members { key, scanner throws(Fallback) in
                    if case .users = key { try scanner.users(into: &users) } else { try scanner.skipValue() }
                }
            case .matchingRules:
                rules = try scanner.matchingRules()
            case .errors, .id, .text:
                // Error messages and bare posts: the general decoder's business.
                throw Fallback()
            default:
                try scanner.skipValue()
            }
        }
        skipWhitespace()
        guard index == bytes.count, let post, let id = post.id, !id.isEmpty else { throw Fallback() }
        var username: String?
        if let authorID = post.authorID, let user = users.first(where: { equals($0.id, authorID) }) {
            username = materialize(user.username)
        }
        return StreamPost(
            id: id, text: post.text.map(decodedText) ?? "", authorID: post.authorID,
            authorUsername: username, lang: post.lang,
            createdAt: post.createdAt.flatMap(timestamp), matchingRules: rules,
            goldLabel: post.goldLabel.flatMap(label))
    }

    private mutating func postFields() throws(Fallback) -> PostFields {
        var fields = PostFields()
        try expect(UInt8(ascii: "{"))
        try members { key, scanner throws(Fallback) in
            switch key {
            case .id: fields.id = try scanner.string()
            case .text: fields.text = try scanner.rawString()
            case .authorID: fields.authorID = try scanner.string()
            case .lang: fields.lang = try scanner.string()
            case .createdAt: fields.createdAt = try scanner.rawString()
            case .goldLabel: fields.goldLabel = try scanner.rawString()
            default: try scanner.skipValue()
            }
        }
        return fields
    }

    private mutating func users(into users: inout Users) throws(Fallback) {
        try elements { scanner throws(Fallback) in
            var id: RawString?
            var username: RawString?
            try scanner.expect(UInt8(ascii: "{"))
            try scanner.members { key, scanner throws(Fallback) in
                switch key {
                case .id: id = try scanner.rawString()
                case .username: username = try scanner.rawString()
                default: try scanner.skipValue()
                }
            }
            if let id, let username { users.append(User(id: id, username: username)) }
        }
    }

    private mutating func matchingRules() throws(Fallback) -> [MatchingRule] {
        var rules: [MatchingRule] = []
        try elements { scanner throws(Fallback) in
            var id: String?
            var tag: String?
            try scanner.expect(UInt8(ascii: "{"))
            try scanner.members { key, scanner throws(Fallback) in
                switch key {
                case .id: id = try scanner.string()
                case .tag: tag = try scanner.string()
                default: try scanner.skipValue()
                }
            }
            guard let id else { throw Fallback() }
            rules.append(MatchingRule(id: id, tag: tag))
        }
        return rules
    }

    // MARK: Field values

    /// The post text with its HTML entities decoded; plain ASCII is decoded from the line.
    private func decodedText(_ raw: RawString) -> String {
        switch raw {
        case .ascii(let range):
            let text = utf8(range)
            guard let base = text.baseAddress, memchr(base, Int32(UInt8(ascii: "&")), text.count) != nil else {
                return String(decoding: text, as: UTF8.self)
            }
            return HTMLEntities.decodeASCIIAPIText(text)
        case .decoded(let text):
            return HTMLEntities.decodeAPIText(text)
        }
    }

    /// `created_at`, parsed from the line when it needed no decoding.
    private func timestamp(_ raw: RawString) -> Date? {
        switch raw {
        case .ascii(let range): Timestamp.parse(utf8: utf8(range))
        case .decoded(let text): Timestamp.parse(text)
        }
    }

    /// `gold_label`, compared in place when it needed no decoding (ASCII bytes are equal
    /// exactly when the strings are).
    private func label(_ raw: RawString) -> SentimentLabel? {
        switch raw {
        case .ascii(let range):
            for label in SentimentLabel.allCases where equals(range, label.rawValue) { return label }
            return nil
        case .decoded(let text):
            return SentimentLabel(rawValue: text)
        }
    }

    /// Whether a raw string equals `text` as `String`s compare (canonical equivalence):
    /// byte equality when both are ASCII, `==` otherwise.
    private func equals(_ raw: RawString, _ text: String) -> Bool {
        switch raw {
        case .ascii(let range): equals(range, text)
        case .decoded(let decoded): decoded == text
        }
    }

    private func equals(_ range: Range<Int>, _ text: String) -> Bool {
        var text = text
        let ascii: Bool? = text.withUTF8 { utf8 in
            guard utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
            return utf8.count == range.count
                && (range.isEmpty || memcmp(bytes.baseAddress! + range.lowerBound, utf8.baseAddress!, range.count) == 0)
        }
        // Some non-ASCII strings are canonically equivalent to ASCII ones (U+212A KELVIN SIGN is "K").
        return ascii ?? (materialize(.ascii(range)) == text)
    }

    // MARK: Keys

    private enum Key {
        case data, includes, matchingRules, errors, id, text, authorID, lang, createdAt, goldLabel, users,
             username, tag, other
    }

    /// Reads a key (the opening quote is current) without allocating.
    private mutating func key() throws(Fallback) -> Key {
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            // Escaped, control or non-ASCII characters in keys (none of ours have them):
            // leave them to the general decoder, which also validates their UTF-8.
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { throw Fallback() }
            index += 1
        }
        guard index < bytes.count else { throw Fallback() }
        let length = index - start
        index += 1
        // Length and first byte pick the one candidate; a library call per key cost more
        // than the comparison.
        let key: Key
        switch (length, bytes[start]) {
        case (2, UInt8(ascii: "i")): key = .id
        case (3, UInt8(ascii: "t")): key = .tag
        case (4, UInt8(ascii: "d")): key = .data
        case (4, UInt8(ascii: "t")): key = .text
        case (4, UInt8(ascii: "l")): key = .lang
        case (5, UInt8(ascii: "u")): key = .users
        case (6, UInt8(ascii: "e")): key = .errors
        case (8, UInt8(ascii: "i")): key = .includes
        case (8, UInt8(ascii: "u")): key = .username
        case (9, UInt8(ascii: "a")): key = .authorID
        case (10, UInt8(ascii: "c")): key = .createdAt
        case (10, UInt8(ascii: "g")): key = .goldLabel
        case (14, UInt8(ascii: "m")): key = .matchingRules
        default: return .other
        }
        return matches(start, Self.name(of: key)) ? key : .other
    }

    private static func name(of key: Key) -> StaticString {
        switch key {
        case .data: "data"
        case .includes: "includes"
        case .matchingRules: "matching_rules"
        case .errors: "errors"
        case .id: "id"
        case .text: "text"
        case .authorID: "author_id"
        case .lang: "lang"
        case .createdAt: "created_at"
        case .goldLabel: "gold_label"
        case .users: "users"
        case .username: "username"
        case .tag: "tag"
        case .other: ""
        }
    }

    /// Whether the bytes from `start` begin with `word` (the caller checked the length).
    @inline(__always)
    private func matches(_ start: Int, _ word: StaticString) -> Bool {
        let name = word.utf8Start
        for offset in 1..<word.utf8CodeUnitCount where bytes[start + offset] != name[offset] { return false }
        return true
    }

    // MARK: Structure

    /// Calls `body` for each member of the object whose `{` was just read.
    private mutating func members(_ body: (Key, inout StreamMessageScanner) throws(Fallback) -> Void) throws(Fallback) {
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") { index += 1; return }
        while true {
            skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else { throw Fallback() }
            let name = try key()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            try body(name, &self)
            skipWhitespace()
            switch try next() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "}"): return
            default: throw Fallback()
            }
        }
    }

    /// Calls `body` for each element of the array at the current position.
    private mutating func elements(_ body: (inout StreamMessageScanner) throws(Fallback) -> Void) throws(Fallback) {
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
            default: throw Fallback()
            }
        }
    }

    /// Skips any JSON value, checking its grammar (so invalid JSON is never accepted).
    private mutating func skipValue() throws(Fallback) {
        depth += 1
        defer { depth -= 1 }
        guard depth < 64 else { throw Fallback() }
        skipWhitespace()
        switch try peek() {
        case UInt8(ascii: "{"):
            index += 1
            try members { _, scanner throws(Fallback) in try scanner.skipValue() }
        case UInt8(ascii: "["):
            try elements { scanner throws(Fallback) in try scanner.skipValue() }
        case UInt8(ascii: "\""):
            _ = try rawString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: try number()
        }
    }

    private mutating func literal(_ word: StaticString) throws(Fallback) {
        let length = word.utf8CodeUnitCount
        guard index + length <= bytes.count,
              memcmp(bytes.baseAddress! + index, word.utf8Start, length) == 0 else { throw Fallback() }
        index += length
    }

    /// JSON number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func number() throws(Fallback) {
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw Fallback() }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else { skipDigits() }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw Fallback() }
            skipDigits()
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw Fallback() }
            skipDigits()
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    // MARK: Strings

    /// A string value as it stands in the line: ASCII without escapes stays a byte range
    /// (nothing to validate or decode, and nothing allocated unless the value is kept);
    /// anything else is decoded and validated at once, so fallbacks happen where they did.
    enum RawString {
        case ascii(Range<Int>)
        case decoded(String)
    }

    private func materialize(_ raw: RawString) -> String {
        switch raw {
        case .ascii(let range): String(decoding: utf8(range), as: UTF8.self)
        case .decoded(let text): text
        }
    }

    /// The bytes of `range` of the line.
    private func utf8(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeRawBufferPointer(rebasing: bytes[range]).bindMemory(to: UInt8.self)
    }

    /// Reads a string value; anything but a string is a fallback (the general decoder
    /// knows what a number id or a null field means).
    private mutating func string() throws(Fallback) -> String {
        materialize(try rawString())
    }

    private mutating func rawString() throws(Fallback) -> RawString {
        guard try peek() == UInt8(ascii: "\"") else { throw Fallback() }
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
                    throw Fallback()
                }
                return .decoded(text)
            }
            union |= byte
            if byte == UInt8(ascii: "\\") { return .decoded(try escapedString(from: start)) }
            if byte < 0x20 { throw Fallback() }
            index += 1
        }
        throw Fallback()
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

    /// The slow path of `string()`: the string has escapes; `index` is at the first one.
    private mutating func escapedString(from start: Int) throws(Fallback) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(index - start + 16)
        utf8.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else { throw Fallback() }
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
                        guard try next() == UInt8(ascii: "\\"), try next() == UInt8(ascii: "u") else { throw Fallback() }
                        let low = UInt32(try hex4())
                        guard (0xDC00..<0xE000).contains(low) else { throw Fallback() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw Fallback()
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw Fallback() }
                    utf8.append(contentsOf: UTF8.encode(unicode)!)
                default:
                    throw Fallback()
                }
            default:
                if byte < 0x20 { throw Fallback() }
                utf8.append(byte)
            }
        }
        throw Fallback()
    }

    private mutating func hex4() throws(Fallback) -> UInt16 {
        guard index + 4 <= bytes.count else { throw Fallback() }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Fallback()
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    // MARK: Bytes

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func peek() throws(Fallback) -> UInt8 {
        guard index < bytes.count else { throw Fallback() }
        return bytes[index]
    }

    private mutating func next() throws(Fallback) -> UInt8 {
        guard index < bytes.count else { throw Fallback() }
        defer { index += 1 }
        return bytes[index]
    }

    private mutating func expect(_ byte: UInt8) throws(Fallback) {
        skipWhitespace()
        guard try next() == byte else { throw Fallback() }
    }
}
