import PipelineModel
import Foundation
import PipelineTesting

/// The VADER tweets (`.cache/corpora/tweets_GroundTruth.txt`: id, score, text, tab-separated)
/// as posts a replay can read.
enum TweetCorpus {
    struct Missing: Error, CustomStringConvertible {
        var description: String { "no .cache/corpora/tweets_GroundTruth.txt: run scripts/fetch-corpora" }
    }

    /// The tweet texts, with the three HTML entities X escapes decoded (the listener
    /// decodes them too, so both sides of a comparison see the same text).
    static func texts() throws -> [String] {
        let path = TestEnvironment.projectRoot.appendingPathComponent(".cache/corpora/tweets_GroundTruth.txt")
        guard let data = FileManager.default.contents(atPath: path.path) else { throw Missing() }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { return nil }
            return String(fields[2]).replacingOccurrences(of: "&lt;", with: "<")
                .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        }
    }

    /// A post of a replay file.
    struct Post {
        var id: String
        var text: String
        var lang = "en"
        var username: String?
    }

    /// Writes `posts` as stream messages (`data`, `includes.users`) to a JSONL file.
    static func write(_ posts: [Post], to file: URL) throws {
        var lines: [String] = []
        for post in posts {
            var data: [String: Any] = ["id": post.id, "text": post.text, "lang": post.lang]
            var message: [String: Any] = [:]
            if let username = post.username {
                data["author_id"] = "u" + post.id
                message["includes"] = ["users": [["id": "u" + post.id, "username": username]]]
            }
            message["data"] = data
            let json = try JSONSerialization.data(withJSONObject: message, options: [.sortedKeys, .withoutEscapingSlashes])
            lines.append(String(decoding: json, as: UTF8.self))
        }
        try Data(lines.joined(separator: "\n").utf8).write(to: file)
    }

    /// A fresh folder for one test's files.
    static func temporaryFile(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stream-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name)
    }
}
