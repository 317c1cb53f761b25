import PipelineModel
import Foundation

/// The fast path of `StreamMessage.decode`: the shape of the common stream message —
/// `{"data":{post},"includes":{"users":[…]},"matching_rules":[…]}` with any key order and
/// unknown keys skipped — read in one pass with a `JSONByteCursor`, allocating only the
/// strings the pipeline keeps. Anything else (a bare post, a twarc2 page, `errors`, a
/// field of an unexpected type, whatever the cursor leaves) gives nil and the caller uses
/// the Foundation decoder, so the result is always what that decoder says.
enum StreamMessageScanner {
    /// The post of a common stream message (the only shape taken here), or nil when the
    /// Foundation decoder must decide.
    static func post(in line: UnsafeRawBufferPointer) -> StreamPost? {
        var cursor = JSONByteCursor(line)
        return try? post(&cursor)
    }

    // MARK: Message shape

    private struct PostFields {
        var id: String?
        var text: JSONByteCursor.RawString?
        var authorID: String?
        var lang: String?
        var createdAt: JSONByteCursor.RawString?
        var goldLabel: JSONByteCursor.RawString?
    }

    /// One `includes.users` entry with both fields.
    private struct User {
        var id: JSONByteCursor.RawString
        var username: JSONByteCursor.RawString
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
    private static func post(_ cursor: inout JSONByteCursor) throws(ScanFallback) -> StreamPost {
        var post: PostFields?
        // In order; the first entry for an id wins, as in the general decoder's dictionary.
        // Almost always one entry: a list searched once beats hashing every id.
        var users = Users()
        var rules: [MatchingRule] = []
        try cursor.expect(UInt8(ascii: "{"))
        try cursor.members { name, cursor throws(ScanFallback) in
            switch Key(name, in: cursor) {
            case .data:
                guard post == nil else { throw ScanFallback() }
                post = try postFields(&cursor)
            case .includes:
                try cursor.expect(UInt8(ascii: "{"))
                try cursor.members { name, cursor throws(ScanFallback) in
                    if case .users = Key(name, in: cursor) { try self.users(&cursor, into: &users) } else { try cursor.skipValue() }
                }
            case .matchingRules:
                rules = try matchingRules(&cursor)
            case .errors, .id, .text:
                // Error messages and bare posts: the general decoder's business.
                throw ScanFallback()
            default:
                try cursor.skipValue()
            }
        }
        guard cursor.isAtEnd(), let post, let id = post.id, !id.isEmpty else { throw ScanFallback() }
        var username: String?
        if let authorID = post.authorID, let user = users.first(where: { cursor.equals($0.id, authorID) }) {
            username = cursor.materialize(user.username)
        }
        return StreamPost(
            id: id, text: post.text.map { decodedText($0, cursor) } ?? "", authorID: post.authorID,
            authorUsername: username, lang: post.lang,
            createdAt: post.createdAt.flatMap { timestamp($0, cursor) }, matchingRules: rules,
            goldLabel: post.goldLabel.flatMap { label($0, cursor) })
    }

    private static func postFields(_ cursor: inout JSONByteCursor) throws(ScanFallback) -> PostFields {
        var fields = PostFields()
        try cursor.expect(UInt8(ascii: "{"))
        try cursor.members { name, cursor throws(ScanFallback) in
            switch Key(name, in: cursor) {
            case .id: fields.id = try cursor.string()
            case .text: fields.text = try cursor.rawString()
            case .authorID: fields.authorID = try cursor.string()
            case .lang: fields.lang = try cursor.string()
            case .createdAt: fields.createdAt = try cursor.rawString()
            case .goldLabel: fields.goldLabel = try cursor.rawString()
            default: try cursor.skipValue()
            }
        }
        return fields
    }

    private static func users(_ cursor: inout JSONByteCursor, into users: inout Users) throws(ScanFallback) {
        try cursor.elements { cursor throws(ScanFallback) in
            var id: JSONByteCursor.RawString?
            var username: JSONByteCursor.RawString?
            try cursor.expect(UInt8(ascii: "{"))
            try cursor.members { name, cursor throws(ScanFallback) in
                switch Key(name, in: cursor) {
                case .id: id = try cursor.rawString()
                case .username: username = try cursor.rawString()
                default: try cursor.skipValue()
                }
            }
            if let id, let username { users.append(User(id: id, username: username)) }
        }
    }

    private static func matchingRules(_ cursor: inout JSONByteCursor) throws(ScanFallback) -> [MatchingRule] {
        var rules: [MatchingRule] = []
        try cursor.elements { cursor throws(ScanFallback) in
            var id: String?
            var tag: String?
            try cursor.expect(UInt8(ascii: "{"))
            try cursor.members { name, cursor throws(ScanFallback) in
                switch Key(name, in: cursor) {
                case .id: id = try cursor.string()
                case .tag: tag = try cursor.string()
                default: try cursor.skipValue()
                }
            }
            guard let id else { throw ScanFallback() }
            rules.append(MatchingRule(id: id, tag: tag))
        }
        return rules
    }

    // MARK: Field values

    /// The post text with its HTML entities decoded; plain ASCII is decoded from the line.
    private static func decodedText(_ raw: JSONByteCursor.RawString, _ cursor: JSONByteCursor) -> String {
        switch raw {
        case .ascii(let range):
            let text = cursor.utf8(range)
            guard let base = text.baseAddress, memchr(base, Int32(UInt8(ascii: "&")), text.count) != nil else {
                return String(decoding: text, as: UTF8.self)
            }
            return HTMLEntities.decodeASCIIAPIText(text)
        case .decoded(let text):
            return HTMLEntities.decodeAPIText(text)
        }
    }

    /// `created_at`, parsed from the line when it needed no decoding.
    private static func timestamp(_ raw: JSONByteCursor.RawString, _ cursor: JSONByteCursor) -> Date? {
        switch raw {
        case .ascii(let range): Timestamp.parse(utf8: cursor.utf8(range))
        case .decoded(let text): Timestamp.parse(text)
        }
    }

    /// `gold_label`, compared in place when it needed no decoding (ASCII bytes are equal
    /// exactly when the strings are).
    private static func label(_ raw: JSONByteCursor.RawString, _ cursor: JSONByteCursor) -> SentimentLabel? {
        switch raw {
        case .ascii(let range):
            for label in SentimentLabel.classes where cursor.equals(range, label.rawValue) { return label }
            return nil
        case .decoded(let text):
            return SentimentLabel(className: text)
        }
    }

    // MARK: Keys

    /// The member names the message shape reads; every other name is `.other`.
    private enum Key {
        case data, includes, matchingRules, errors, id, text, authorID, lang, createdAt, goldLabel, users,
             username, tag, other

        /// The key spelled by `name` (a range of the cursor's line).
        init(_ name: Range<Int>, in cursor: JSONByteCursor) {
            guard !name.isEmpty else { self = .other; return }
            // Length and first byte pick the one candidate; a library call per key cost
            // more than the comparison.
            let key: Key
            switch (name.count, cursor.bytes[name.lowerBound]) {
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
            default: self = .other; return
            }
            self = cursor.matches(name, key.name) ? key : .other
        }

        var name: StaticString {
            switch self {
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
    }
}
