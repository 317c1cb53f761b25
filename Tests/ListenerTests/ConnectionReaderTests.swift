import Foundation
import Logging
import PipelineModel
import PipelineTesting
import StreamRules
import Testing
@testable import Listener

/// The live reader (borrowed lines, archived, then `MessageProcessor.read`) against the
/// frame-by-frame reference (`LineFramer.append` whole, then `process(_:receivedAt:)`):
/// whatever the chunk cuts, the same posts, counts and archived lines.
@Suite struct ConnectionReaderTests {
    static func body(_ random: inout SplitMix64) -> [UInt8] {
        var lines = (0..<400).map { _ in StreamMessageScannerTests.randomMessage(&random) }
        lines += [
            "", "", #"{"data":[{"id":"p1","text":"coffee page"},{"id":"p2","text":"of posts"}]}"#,
            #"{"errors":[{"title":"Rule error","detail":"x"}]}"#, "not json", #"{"keepalive":true}"#,
            String(repeating: "x", count: 5_000),
        ]
        lines += lines.prefix(40)  // repeats, for the deduplicator
        lines.shuffle(using: &random)
        lines.append(#"{"errors":[{"title":"operational-disconnect"}]}"#)
        return Array((lines.joined(separator: "\r\n") + "\r\n" + #"{"data":{"id":"cut"#).utf8)
    }

    static let rules = try! KeywordResolver(ownRules: RuleMatcher(rules: [TaggedRule.keyword("coffee"), TaggedRule.keyword("café")]))

    @Test func chunksReadAsTheWholeBodyFramedAtOnce() throws {
        var random = SplitMix64(seed: 5)
        let body = Self.body(&random)
        let now = Date(timeIntervalSince1970: 1_767_225_600)

        var reference = MessageProcessor(rules: Self.rules)
        var framer = LineFramer(maximumLineLength: 4_096)
        var expected: [Post] = []
        var expectedLines: [[UInt8]] = []
        var operational = false
        for frame in framer.append(body) {
            if case .line(let line) = frame { expectedLines.append(line) }
            switch reference.process(frame, receivedAt: now) {
            case .posts(let posts): expected += posts
            case .operationalDisconnect: operational = true
            default: break
            }
        }
        if framer.finish() != nil { reference.countTruncated() }
        #expect(operational)

        let directory = try temporaryDirectory()
        let archive = try ArchiveWriter(configuration: .init(directory: directory))
        var reader = ConnectionReader(maximumLineLength: 4_096, archive: archive, logger: Logger(label: "test"))
        var processor = MessageProcessor(rules: Self.rules)
        var posts: [Post] = []
        var offset = 0
        while offset < body.count {
            let end = min(body.count, offset + Int.random(in: 1...3_000, using: &random))
            body[offset..<end].withUnsafeBytes { reader.read($0, receivedAt: now, processor: &processor, into: &posts) }
            offset = end
        }
        reader.finish(processor: &processor)
        archive.close()

        #expect(reader.operationalDisconnect)
        #expect(posts == expected)
        #expect(processor.counts == reference.counts)
        #expect(processor.counts.heartbeats >= 2 && processor.counts.malformed >= 3 && !posts.isEmpty)
        var archived: [[UInt8]] = []
        for file in archive.files {
            let replay = try ReplayReader(url: file)
            while let line = try replay.nextLine() {
                let record = ArchiveRecord(line: line)
                #expect(record.receivedAt == now)
                archived.append(record.message)
            }
        }
        #expect(archived == expectedLines)
    }
}
