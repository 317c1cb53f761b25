import PipelineModel
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PipelineTesting
import Testing

/// What the documented-mode tests share: small feeds with chosen timestamps and
/// languages, HTTP over loopback, polling with a deadline, and reading what the
/// executables print.
enum ModeHarness {
    /// One post of a hand-made feed.
    struct FeedPost {
        var id: String
        var text: String
        var createdAt: String = "2026-01-01T00:00:00.000Z"
        var lang: String = "en"
    }

    /// The feed the rule-language tests share, ids prefixed by `prefix`: three English and
    /// three French coffee posts, three tea posts (one English), optionally three posts
    /// matching nothing, and `\(prefix)99`, an English coffee post, last.
    static func languagePosts(prefix: Int, unmatched: Bool = false) -> [FeedPost] {
        var posts: [FeedPost] = []
        for index in 0..<3 {
            posts.append(.init(id: "\(prefix)0\(index)", text: "coffee in english \(index)", lang: "en"))
            posts.append(.init(id: "\(prefix)1\(index)", text: "coffee en français \(index)", lang: "fr"))
            posts.append(.init(id: "\(prefix)2\(index)", text: "green tea \(index)", lang: index == 0 ? "en" : "fr"))
            if unmatched { posts.append(.init(id: "\(prefix)3\(index)", text: "nothing to see \(index)", lang: "en")) }
        }
        posts.append(.init(id: "\(prefix)99", text: "coffee last of all", lang: "en"))
        return posts
    }

    /// Writes `posts` as v2 stream messages, one per line.
    static func writeFeed(_ posts: [FeedPost], to url: URL) throws {
        let lines = try posts.map { post in
            let object: [String: Any] = ["data": ["id": post.id, "text": post.text, "created_at": post.createdAt,
                                                  "lang": post.lang, "author_id": "7"],
                                         "includes": ["users": [["id": "7", "username": "ann"]]]]
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
    }

    /// The JSON objects of the lines of `text` that parse (the listener's stdout).
    static func objects(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// The `id` of every post the listener printed, in order.
    static func printedIDs(_ child: ChildProcess) -> [String] {
        child.lines(containing: #""id""#).compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
        }
    }

    /// Polls `condition` every 50 ms until it holds or `timeout` passes (a bound against
    /// a hung run, not a performance assertion); returns whether it held.
    static func poll(timeout: Duration = .seconds(90), _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    /// An HTTP answer.
    struct Reply {
        var status: Int
        var body: String
    }

    /// A GET on 127.0.0.1 (or `host`), nil when nothing answers. Through curl: Foundation's
    /// URLSession on Linux stalls on a 401 that carries `WWW-Authenticate`.
    static func get(port: Int, _ path: String, host: String = "127.0.0.1", headers: [String: String] = [:]) async -> Reply? {
        var arguments = ["curl", "-s", "--max-time", "20", "-w", "\n%{http_code}"]
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        arguments.append("http://\(host):\(port)\(path)")
        guard let output = try? await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), arguments),
              let newline = output.stdout.lastIndex(of: "\n"),
              let status = Int(output.stdout[output.stdout.index(after: newline)...]), status > 0 else { return nil }
        return Reply(status: status, body: String(output.stdout[..<newline]))
    }

    /// The port of a `… at http://127.0.0.1:PORT` line.
    static func port(in line: String) -> Int? {
        guard let range = line.range(of: #"http://[0-9.]+:([0-9]+)"#, options: .regularExpression) else { return nil }
        return Int(line[range].split(separator: ":").last ?? "")
    }

    /// Sends `signal` once the child handles it, and returns its output.
    static func stop(_ child: ChildProcess, signal: Int32 = SIGTERM) async -> ChildProcess.Output {
        _ = await child.waitUntilCatching(signal)
        child.terminate(signal: signal)
        return await child.waitForExit()
    }

    /// Scores `texts` with `sentiment score --engine engine`; the labels by id.
    static func labels(of texts: [(id: String, text: String)], engine: String,
                       extra: [String] = []) async throws -> [String: String] {
        let input = try texts.map { item in
            String(decoding: try JSONSerialization.data(withJSONObject: ["id": item.id, "text": item.text]), as: UTF8.self)
        }.joined(separator: "\n") + "\n"
        let scored = try await ChildProcess.run(TestEnvironment.executable("sentiment"),
                                                ["score", "--engine", engine] + extra + ["-"], stdin: Data(input.utf8))
        try #require(scored.status == 0, "sentiment score failed: \(scored.stderr)")
        var labels: [String: String] = [:]
        for object in objects(scored.stdout) {
            if let id = object["id"] as? String { labels[id] = object["label"] as? String }
        }
        return labels
    }

    /// The posts of a `stream-sim make-feed` archive: id, text as the API sends it
    /// decoded, and gold label.
    static func feedPosts(_ url: URL) throws -> [(id: String, text: String, gold: String)] {
        try objects(String(contentsOf: url, encoding: .utf8)).compactMap { object in
            guard let data = object["data"] as? [String: Any], let id = data["id"] as? String,
                  let text = data["text"] as? String else { return nil }
            return (id, ArchivedPosts.decodeEntities(text), data["gold_label"] as? String ?? "")
        }
    }

    /// `stream-sim make-feed` of the ground-truth tweets (`split`: all, train or test).
    static func makeFeed(split: String, in folder: URL) async throws -> URL {
        let corpus = TestEnvironment.projectRoot.appendingPathComponent(".cache/corpora/tweets_GroundTruth.txt")
        let feed = folder.appendingPathComponent("feed-\(split).jsonl")
        let made = try await ChildProcess.run(TestEnvironment.executable("stream-sim"), [
            "make-feed", "--out", feed.path, "--ground-truth", corpus.path, "--split", split,
        ])
        try #require(made.status == 0, "make-feed failed: \(made.stderr)")
        return feed
    }
}

extension ChildProcess {
    /// The stdout lines so far that contain `marker`.
    func lines(containing marker: String) -> [String] {
        linesSoFar.filter { $0.contains(marker) }
    }
}
