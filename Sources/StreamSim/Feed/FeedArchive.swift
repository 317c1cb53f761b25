import CZlib
import Foundation

/// A feed loaded from a JSON-lines archive (plain or gzip): one v2 stream message
/// (`{"data":{…},"includes":{…}}`) or one bare v2 post object (`{"id":…,"text":…}`) per line.
public struct FeedArchive: Sendable {
    /// Why an archive could not be read or written (malformed lines are skipped, not fatal).
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        /// One line for the user.
        public var description: String
    }

    /// The posts in file order.
    public var posts: [ArchivedPost]
    /// Lines that were not a stream message or post object with an `id` (skipped).
    public var malformedLines: Int

    /// A feed made of `posts`.
    public init(posts: [ArchivedPost], malformedLines: Int = 0) {
        self.posts = posts
        self.malformedLines = malformedLines
    }

    /// Reads `path`; gzip is detected by content, not by name.
    public static func load(path: String) throws(LoadError) -> FeedArchive {
        guard let file = gzopen(path, "rb") else {
            throw LoadError(description: "cannot open archive \(path): \(String(cString: strerror(errno)))")
        }
        defer { gzclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if count < 0 {
                throw LoadError(description: "cannot read archive \(path): corrupt or truncated gzip data")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<Int(count)])
        }
        return parse(bytes)
    }

    /// Writes archive bytes to `path`, gzip-compressed when the name ends in `.gz`
    /// (zlib writes no timestamp, so equal input gives equal files).
    public static func write(_ bytes: [UInt8], to path: String) throws(LoadError) {
        if path.hasSuffix(".gz") {
            guard let file = gzopen(path, "wb9") else {
                throw LoadError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            let written = bytes.isEmpty ? 0 : bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
            guard gzclose(file) == Z_OK, Int(written) == bytes.count else {
                throw LoadError(description: "cannot write \(path): gzip write failed")
            }
        } else {
            guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
                throw LoadError(description: "cannot write \(path)")
            }
        }
    }

    /// Parses archive text already in memory.
    public static func parse(_ bytes: [UInt8]) -> FeedArchive {
        var posts: [ArchivedPost] = []
        var malformed = 0
        var lineStart = 0
        let decoder = JSONDecoder()
        while lineStart < bytes.count {
            var lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            let next = lineEnd + 1
            if lineEnd > lineStart, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let line = lineStart..<lineEnd
            lineStart = next
            if bytes[line].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            if let post = post(from: bytes, line: line, decoder: decoder) {
                posts.append(post)
            } else {
                malformed += 1
            }
        }
        return FeedArchive(posts: posts, malformedLines: malformed)
    }

    private struct PostFields: Decodable {
        var id: String
        var text: String?
        var lang: String?
        var authorID: String?

        enum CodingKeys: String, CodingKey {
            case id, text, lang
            case authorID = "author_id"
        }
    }

    /// Just what `from:` needs of `includes`: who is who.
    private struct IncludedUsers: Decodable {
        struct User: Decodable {
            var id: String
            var username: String?
        }
        var users: [User]?
    }

    private static func post(from bytes: [UInt8], line: Range<Int>, decoder: JSONDecoder) -> ArchivedPost? {
        guard let members = JSONMembers.of(bytes, in: line) else { return nil }
        let dataRange: Range<Int>
        var includes: [UInt8]?
        if let data = members.first(where: { $0.key == "data" })?.value {
            guard bytes[data.lowerBound] == UInt8(ascii: "{") else { return nil }
            dataRange = data
            if let range = members.first(where: { $0.key == "includes" })?.value,
               bytes[range.lowerBound] == UInt8(ascii: "{") {
                includes = Array(bytes[range])
            }
        } else {
            dataRange = line
        }
        let data = Array(bytes[dataRange])
        guard let fields = try? decoder.decode(PostFields.self, from: Data(data)), !fields.id.isEmpty else {
            return nil
        }
        let author = fields.authorID.flatMap { authorID in
            includes.flatMap { try? decoder.decode(IncludedUsers.self, from: Data($0)) }?
                .users?.first { $0.id == authorID }?.username
        }
        return ArchivedPost(id: fields.id, text: fields.text ?? "", lang: fields.lang, authorUsername: author,
                            data: data, includes: includes)
    }
}
