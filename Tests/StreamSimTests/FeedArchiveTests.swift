import PipelineModel
import Foundation
import Testing
@testable import StreamSim

/// Archive loading: both line forms, malformed lines, gzip.
struct FeedArchiveTests {
    @Test func readsStreamMessagesAndBarePostsKeepingBytes() {
        let text = """
        {"data":{"id":"1","text":"hello coffee","lang":"en"},"includes":{"users":[{"id":"9","username":"u"}]},"matching_rules":[{"id":"5"}]}
        {"id":"2","text":"bare post","edit_history_tweet_ids":["2"]}\r
        not json
        {"data":{"text":"no id"}}

        {"data":[1,2]}
        """
        let archive = FeedArchive.parse(Array(text.utf8))
        #expect(archive.posts.map(\.id) == ["1", "2"])
        #expect(archive.malformedLines == 3)
        #expect(String(decoding: archive.posts[0].data, as: UTF8.self) == #"{"id":"1","text":"hello coffee","lang":"en"}"#)
        #expect(String(decoding: archive.posts[0].includes ?? [], as: UTF8.self) == #"{"users":[{"id":"9","username":"u"}]}"#)
        #expect(archive.posts[1].includes == nil)
        #expect(archive.posts[1].lang == nil)
    }

    @Test func freshIDsReplaceEveryQuotedOccurrence() {
        let post = ArchivedPost(id: "7", text: "t", lang: nil,
                                data: Array(#"{"id":"7","text":"t","edit_history_tweet_ids":["7"]}"#.utf8), includes: nil)
        var out: [UInt8] = []
        post.appendData(to: &out, freshID: "70001")
        #expect(String(decoding: out, as: UTF8.self) == #"{"id":"70001","text":"t","edit_history_tweet_ids":["70001"]}"#)
    }

    @Test func restampReplacesCreatedAtOrAddsIt() {
        let stamp = Array("2026-12-06T00:00:01.500Z".utf8)
        let dated = ArchivedPost(id: "7", text: "t", lang: nil,
                                 data: Array(#"{"id":"7","created_at":"2020-01-01T00:00:00.000Z","text":"t"}"#.utf8), includes: nil)
        var out: [UInt8] = []
        dated.appendData(to: &out, freshID: "70001", createdAt: stamp)
        #expect(String(decoding: out, as: UTF8.self) == #"{"id":"70001","created_at":"2026-12-06T00:00:01.500Z","text":"t"}"#)
        let undated = ArchivedPost(id: "8", text: "t", lang: nil, data: Array(#"{"id":"8","text":"t"}"#.utf8), includes: nil)
        out = []
        undated.appendData(to: &out, freshID: nil, createdAt: stamp)
        #expect(String(decoding: out, as: UTF8.self) == #"{"created_at":"2026-12-06T00:00:01.500Z","id":"8","text":"t"}"#)
        #expect(String(decoding: StreamFeed.stamp(Date(timeIntervalSince1970: 1_796_479_387.25)), as: UTF8.self)
                == "2026-12-05T14:03:07.250Z")
    }

    @Test func gzipRoundTripAndMissingFileError() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("streamsim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("feed.jsonl.gz").path
        try FeedArchive.write(Array(#"{"id":"1","text":"a"}"#.utf8) + [0x0A], to: path)
        let bytes = try #require(FileManager.default.contents(atPath: path))
        #expect(Array(bytes.prefix(2)) == [0x1F, 0x8B])
        #expect(try FeedArchive.load(path: path).posts.map(\.id) == ["1"])
        #expect(throws: FeedArchive.LoadError.self) { try FeedArchive.load(path: directory.appendingPathComponent("none").path) }
    }
}
