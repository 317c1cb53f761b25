import Foundation
import Sentiment

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
        var scanner = StreamMessageScanner(line)
        return try? scanner.message()
    }

    // MARK: Message shape

    private struct PostFields {
        var id: String?
        var text: String?
        var authorID: String?
        var lang: String?
        var createdAt: String?
        var goldLabel: String?
    }

    private mutating func message() throws(Fallback) -> StreamMessage {
        var post: PostFields?
        var users: [String: String] = [:]
        var rules: [MatchingRule] = []
        try expect(UInt8(ascii: "{"))
        try members { key, scanner throws(Fallback) in
            switch key {
            case .data:
                guard post == nil else { throw Fallback() }
                post = try scanner.post()
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
        return .posts([StreamPost(
            id: id, text: HTMLEntities.decode(post.text ?? ""), authorID: post.authorID,
            authorUsername: post.authorID.flatMap { users[$0] }, lang: post.lang,
            createdAt: post.createdAt.flatMap(Timestamp.parse), matchingRules: rules,
            goldLabel: post.goldLabel.flatMap(SentimentLabel.init(rawValue:)))])
    }

    private mutating func post() throws(Fallback) -> PostFields {
        var fields = PostFields()
        try expect(UInt8(ascii: "{"))
        try members { key, scanner throws(Fallback) in
            switch key {
            case .id: fields.id = try scanner.string()
            case .text: fields.text = try scanner.string()
            case .authorID: fields.authorID = try scanner.string()
            case .lang: fields.lang = try scanner.string()
            case .createdAt: fields.createdAt = try scanner.string()
            case .goldLabel: fields.goldLabel = try scanner.string()
            default: try scanner.skipValue()
            }
        }
        return fields
    }

    private mutating func users(into users: inout [String: String]) throws(Fallback) {
        try elements { scanner throws(Fallback) in
            var id: String?
            var username: String?
            try scanner.expect(UInt8(ascii: "{"))
            try scanner.members { key, scanner throws(Fallback) in
                switch key {
                case .id: id = try scanner.string()
                case .username: username = try scanner.string()
                default: try scanner.skipValue()
                }
            }
            // The first entry for an id wins, as in the general decoder.
            if let id, let username, users[id] == nil { users[id] = username }
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

    // MARK: Keys

    private enum Key {
        case data, includes, matchingRules, errors, id, text, authorID, lang, createdAt, goldLabel, users,
             username, tag, other
    }

    private static let names: [(String, Key)] = [
        ("data", .data), ("includes", .includes), ("matching_rules", .matchingRules), ("errors", .errors),
        ("id", .id), ("text", .text), ("author_id", .authorID), ("lang", .lang), ("created_at", .createdAt),
        ("gold_label", .goldLabel), ("users", .users), ("username", .username), ("tag", .tag),
    ]
    private static let keys: [([UInt8], Key)] = names.map { (Array($0.0.utf8), $0.1) }

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
        // The first byte rules out most candidates before any memcmp call.
        let first = bytes[start]
        for (name, key) in Self.keys where name.count == length && name[0] == first {
            if memcmp(bytes.baseAddress! + start, name, length) == 0 { return key }
        }
        return .other
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
            _ = try string()
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

    /// Reads a string value; anything but a string is a fallback (the general decoder
    /// knows what a number id or a null field means).
    private mutating func string() throws(Fallback) -> String {
        guard try peek() == UInt8(ascii: "\"") else { throw Fallback() }
        index += 1
        let start = index
        var union: UInt8 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                index += 1
                // ASCII needs no validation; the typed-buffer initialiser is the fast,
                // non-generic path (the generic `validating:` looked up metadata per call).
                if union < 0x80 { return String(decoding: raw.bindMemory(to: UInt8.self), as: UTF8.self) }
                guard let text = String(validating: raw, as: UTF8.self) else { throw Fallback() }
                return text
            }
            union |= byte
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            if byte < 0x20 { throw Fallback() }
            index += 1
        }
        throw Fallback()
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
