import Foundation

/// The wire shapes, decoded leniently: every field optional, ids accepted as string or
/// number, unknown fields ignored. Internal: callers see `StreamMessage`.
struct WireEnvelope: Decodable {
    var data: WireData?
    var includes: WireIncludes?
    var matchingRules: [WireRule]?
    var errors: [WireError]?
    // A flattened post object (twarc2 `flatten`, or a plain post per line).
    var id: FlexibleID?
    var text: String?
    var authorID: FlexibleID?
    var createdAt: String?
    var lang: String?
    var author: WireUser?

    enum CodingKeys: String, CodingKey {
        case data, includes, errors, id, text, lang, author
        case matchingRules = "matching_rules"
        case authorID = "author_id"
        case createdAt = "created_at"
    }

    func message() throws(MalformedMessage) -> StreamMessage {
        let rules = (matchingRules ?? []).compactMap { rule in rule.id.map { MatchingRule(id: $0.value, tag: rule.tag) } }
        let users = Dictionary((includes?.users ?? []).compactMap { user in
            user.id.flatMap { id in user.username.map { (id.value, $0) } }
        }, uniquingKeysWith: { first, _ in first })
        switch data {
        case .one(let post):
            return .posts([try post.streamPost(users: users, rules: rules)])
        case .many(let posts):
            return .posts(try posts.map { post throws(MalformedMessage) in try post.streamPost(users: users, rules: rules) })
        case .other:
            return .unrecognized
        case nil:
            break
        }
        if let id, let text {
            let flat = WirePost(id: id, text: text, authorID: authorID, createdAt: createdAt, lang: lang)
            var post = try flat.streamPost(users: users, rules: rules)
            post.authorUsername = post.authorUsername ?? author?.username
            return .posts([post])
        }
        if let errors {
            return .errors(errors.map {
                StreamError(title: $0.title, type: $0.type, detail: $0.detail, disconnectType: $0.disconnectType)
            })
        }
        return .unrecognized
    }
}

enum WireData: Decodable {
    case one(WirePost)
    case many([WirePost])
    case other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let post = try? container.decode(WirePost.self) {
            self = .one(post)
        } else if let posts = try? container.decode([WirePost].self) {
            self = .many(posts)
        } else {
            self = .other
        }
    }
}

struct WirePost: Decodable {
    var id: FlexibleID?
    var text: String?
    var authorID: FlexibleID?
    var createdAt: String?
    var lang: String?

    enum CodingKeys: String, CodingKey {
        case id, text, lang
        case authorID = "author_id"
        case createdAt = "created_at"
    }

    init(id: FlexibleID?, text: String?, authorID: FlexibleID?, createdAt: String?, lang: String?) {
        self.id = id
        self.text = text
        self.authorID = authorID
        self.createdAt = createdAt
        self.lang = lang
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try? container.decodeIfPresent(FlexibleID.self, forKey: .id)
        text = try? container.decodeIfPresent(String.self, forKey: .text)
        authorID = try? container.decodeIfPresent(FlexibleID.self, forKey: .authorID)
        createdAt = try? container.decodeIfPresent(String.self, forKey: .createdAt)
        lang = try? container.decodeIfPresent(String.self, forKey: .lang)
    }

    func streamPost(users: [String: String], rules: [MatchingRule]) throws(MalformedMessage) -> StreamPost {
        guard let id = id?.value, !id.isEmpty else { throw MalformedMessage(reason: "post without an id") }
        let author = authorID?.value
        return StreamPost(id: id, text: HTMLEntities.decode(text ?? ""), authorID: author,
                          authorUsername: author.flatMap { users[$0] }, lang: lang,
                          createdAt: createdAt.flatMap(Timestamp.parse), matchingRules: rules)
    }
}

struct WireIncludes: Decodable {
    var users: [WireUser]?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        users = try? container.decodeIfPresent([WireUser].self, forKey: .users)
    }

    enum CodingKeys: String, CodingKey { case users }
}

struct WireUser: Decodable {
    var id: FlexibleID?
    var username: String?
}

struct WireRule: Decodable {
    var id: FlexibleID?
    var tag: String?
}

struct WireError: Decodable {
    var title: String?
    var type: String?
    var detail: String?
    var disconnectType: String?

    enum CodingKeys: String, CodingKey {
        case title, type, detail
        case disconnectType = "disconnect_type"
    }
}

/// An id the API sends as a string, which some tools rewrite as a number.
struct FlexibleID: Decodable {
    var value: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            value = string
        } else {
            value = String(try container.decode(UInt64.self))
        }
    }
}
