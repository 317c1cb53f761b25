import PipelineModel
import Foundation

/// Builds a `StreamMessage` from a parsed JSON object. Foundation's `JSONSerialization`
/// parses the stream's messages several times faster than `Codable` decoding on Linux,
/// and the lenient reading (any field may be missing or of another type) is simpler
/// over dictionaries. The general path of `StreamMessage.decode`, and the reference the
/// byte scanner is tested against.
enum JSONObjectMessage {
    /// The message of one line, read by Foundation (the bytes are not copied).
    static func message(from line: UnsafeRawBufferPointer) throws(MalformedMessage) -> StreamMessage {
        let data = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: line.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!),
                        count: line.count, deallocator: .none)
        return try message(from: data)
    }

    private static func message(from line: Data) throws(MalformedMessage) -> StreamMessage {
        guard let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] else {
            throw MalformedMessage(reason: "not a JSON object")
        }
        let rules: [MatchingRule] = (object["matching_rules"] as? [[String: Any]] ?? []).compactMap { rule in
            identifier(rule["id"]).map { MatchingRule(id: $0, tag: rule["tag"] as? String) }
        }
        var users: [String: String] = [:]
        if let includes = object["includes"] as? [String: Any], let list = includes["users"] as? [[String: Any]] {
            for user in list {
                if let id = identifier(user["id"]), let name = user["username"] as? String, users[id] == nil { users[id] = name }
            }
        }
        if let data = object["data"] {
            if let post = data as? [String: Any] {
                return .post(try streamPost(post, users: users, rules: rules))
            }
            if let posts = data as? [[String: Any]] {
                var result: [StreamPost] = []
                for post in posts { result.append(try streamPost(post, users: users, rules: rules)) }
                return .posts(result)
            }
            return .unrecognized
        }
        if object["id"] != nil, object["text"] is String {
            var post = try streamPost(object, users: users, rules: rules)
            if post.authorUsername == nil { post.authorUsername = (object["author"] as? [String: Any])?["username"] as? String }
            return .post(post)
        }
        if let errors = object["errors"] as? [[String: Any]] {
            return .errors(errors.map {
                StreamError(title: $0["title"] as? String, type: $0["type"] as? String,
                            detail: $0["detail"] as? String, disconnectType: $0["disconnect_type"] as? String)
            })
        }
        return .unrecognized
    }

    private static func streamPost(_ post: [String: Any], users: [String: String],
                                   rules: [MatchingRule]) throws(MalformedMessage) -> StreamPost {
        guard let id = identifier(post["id"]), !id.isEmpty else { throw MalformedMessage(reason: "post without an id") }
        let author = identifier(post["author_id"])
        return StreamPost(id: id, text: HTMLEntities.decodeAPIText(post["text"] as? String ?? ""), authorID: author,
                          authorUsername: author.flatMap { users[$0] }, lang: post["lang"] as? String,
                          createdAt: (post["created_at"] as? String).flatMap(Timestamp.parse), matchingRules: rules,
                          goldLabel: (post["gold_label"] as? String).flatMap(SentimentLabel.init(className:)))
    }

    /// Ids are strings in the API; some tools rewrite them as numbers.
    private static func identifier(_ value: Any?) -> String? {
        if let string = value as? String { return string }
        if let number = value as? NSNumber, !(value is Bool) { return number.stringValue }
        return nil
    }
}
