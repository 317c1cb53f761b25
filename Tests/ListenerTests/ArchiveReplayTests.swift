import Foundation
import Logging
import PipelineModel
import Storage
import StreamRules
import Synchronization
import Testing
@testable import Listener

@Suite struct ArchiveReplayTests {
    static func message(_ id: Int, tag: String = "sentiment-listener:cats") -> [UInt8] {
        Array(#"{"data":{"id":"\#(id)","text":"n°\#(id) 😀","created_at":"2026-01-01T00:00:\#(String(format: "%02d", id % 60)).000Z"},"matching_rules":[{"id":"9","tag":"\#(tag)"}]}"#.utf8)
    }

    func replay(_ files: [URL], speed: ReplaySpeed = .maximum, keywords: [String] = []) async throws -> ([Post], Replayer.Report) {
        let collected = PostCollector()
        let ownRules = keywords.isEmpty ? nil : try RuleMatcher(rules: keywords.map { TaggedRule.keyword($0) })
        let report = try await Replayer(speed: speed, rules: .replay(ownRules: ownRules))
            .run(files: files, clock: ContinuousClock(), submit: { await collected.add($0) })
        return (await collected.posts, report)
    }

    @Test(arguments: [false, true])
    func archiveRoundTripsThroughReplay(gzip: Bool) async throws {
        var settings = ArchiveWriter.Configuration(directory: try temporaryDirectory())
        settings.gzip = gzip
        settings.maximumBytes = 600  // forces several files
        let writer = try ArchiveWriter(configuration: settings)
        let base = Date(timeIntervalSince1970: 1_764_449_538.25)
        for id in 1...20 { try writer.write(Self.message(id), receivedAt: base.addingTimeInterval(Double(id))) }
        writer.close()
        #expect(writer.files.count > 2)
        #expect(writer.files.allSatisfy { $0.lastPathComponent.hasSuffix(gzip ? ".jsonl.gz" : ".jsonl") })

        let (posts, report) = try await replay(writer.files)
        #expect(posts.map(\.id) == (1...20).map(String.init))
        #expect(posts.map(\.receivedAt) == (1...20).map { base.addingTimeInterval(Double($0)) })
        #expect(posts.allSatisfy { $0.keywords == ["cats"] && $0.text.hasSuffix("😀") })
        #expect(report.malformed == 0 && report.lines == 20 && report.files == writer.files.count)
    }

    @Test func archiveLinesHoldTheMessageBytesUnchanged() throws {
        let writer = try ArchiveWriter(configuration: .init(directory: try temporaryDirectory()))
        let raw = Array(#"{"data":{"id":"1","text":"x"} ,  "weird spacing":true}"#.utf8)
        try writer.write(raw, receivedAt: Date(timeIntervalSince1970: 0.5))
        writer.close()
        let content = try Data(contentsOf: writer.files[0])
        #expect(Array(content) == Array("1970-01-01T00:00:00.500Z\t".utf8) + raw + [10])
    }

    @Test func readsTheCommonJSONLFormsAndCountsMalformedLines() async throws {
        let folder = try temporaryDirectory()
        let file = folder.appendingPathComponent("mixed.jsonl")
        let lines = [
            String(decoding: Self.message(1), as: UTF8.self),                                      // stream message
            #"{"id":"2","text":"I like cats","created_at":"2026-01-01T00:00:02Z","author":{"username":"u"}}"#, // twarc2 flat post
            "this is not json",
            #"{"data":[{"id":"3","text":"dogs"},{"id":"4","text":"cats and dogs"}]}"#,           // twarc2 page
            "",
            String(decoding: Self.message(1), as: UTF8.self),                                      // repeat
            #"{"meta":{"newest_id":"4"}}"#,
            #"{"id":"5","text":"no newline at the end"}"#,
        ]
        try Data(lines.joined(separator: "\n").utf8).write(to: file)
        let (posts, report) = try await replay([file], keywords: ["cats", "dogs"])
        // Post 1's archived tag says cats, but its text does not: the run's own keywords
        // decide. Posts 1 and 5 match neither keyword and are not handed on.
        #expect(posts.map(\.id) == ["2", "3", "4"])
        #expect(posts.map(\.keywords) == [["cats"], ["dogs"], ["cats", "dogs"]])
        #expect(report.unmatched == 2)
        #expect(posts[0].authorUsername == "u")
        #expect(posts[0].receivedAt == Timestamp.parse("2026-01-01T00:00:02Z"), "created_at stands in for receive time")
        #expect(report.malformed == 1)
        #expect(report.duplicates == 1)
        #expect(report.unrecognized == 1)
        #expect(report.lines == 7)
    }

    @Test func gzipFilesAreReadTransparently() async throws {
        let folder = try temporaryDirectory()
        let file = folder.appendingPathComponent("posts.jsonl")
        try Data((1...50).map { String(decoding: Self.message($0), as: UTF8.self) }.joined(separator: "\r\n").utf8).write(to: file)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", file.path]
        try gzip.run()
        gzip.waitUntilExit()
        let (posts, report) = try await replay([file.appendingPathExtension("gz")])
        #expect(posts.count == 50)
        #expect(report.malformed == 0)
    }

    @Test func missingFileIsAClearErrorBeforeAnythingIsSent() async throws {
        let folder = try temporaryDirectory()
        let good = folder.appendingPathComponent("good.jsonl")
        try Data(Self.message(1)).write(to: good)
        await #expect {
            _ = try await replay([good, folder.appendingPathComponent("typo.jsonl")])
        } throws: { error in
            (error as? ListenerError)?.description.contains("typo.jsonl") == true
        }
    }
}

@Suite struct ReplayPacerTests {
    let t0 = Date(timeIntervalSince1970: 1000)

    @Test func keepsOriginalGapsScaledBySpeed() {
        var realTime = ReplayPacer(speed: .factor(1))
        #expect(realTime.delay(before: t0, elapsed: .zero) == .zero)
        #expect(realTime.delay(before: t0.addingTimeInterval(2), elapsed: .milliseconds(500)) == .milliseconds(1500))
        #expect(realTime.delay(before: t0.addingTimeInterval(1), elapsed: .seconds(2)) == .zero, "late or out of order: no wait")

        var tenTimes = ReplayPacer(speed: .factor(10))
        _ = tenTimes.delay(before: t0, elapsed: .zero)
        #expect(tenTimes.delay(before: t0.addingTimeInterval(20), elapsed: .zero) == .seconds(2))
    }

    @Test func maximumSpeedAndUntimedRecordsNeverWait() {
        var fastest = ReplayPacer(speed: .maximum)
        _ = fastest.delay(before: t0, elapsed: .zero)
        #expect(fastest.delay(before: t0.addingTimeInterval(3600), elapsed: .zero) == .zero)
        var pacer = ReplayPacer(speed: .factor(1))
        #expect(pacer.delay(before: nil, elapsed: .zero) == .zero)
    }

    @Test func aLongGapIsCompressedToTheMaximumWaitAndLoggedOnce() {
        let log = CapturedLog()
        var pacer = ReplayPacer(speed: .factor(1000), logger: log.logger)
        let tenYears: TimeInterval = 10 * 365 * 86_400
        #expect(pacer.delay(before: t0, elapsed: .zero) == .zero)
        // 3.65 days at this speed before; one minute (the default maximum) now.
        #expect(pacer.delay(before: t0.addingTimeInterval(tenYears), elapsed: .zero) == .seconds(60))
        // The next post keeps its spacing after the compressed gap: 20 s later is 20 ms.
        #expect(pacer.delay(before: t0.addingTimeInterval(tenYears + 20), elapsed: .seconds(60)) == .milliseconds(20))
        #expect(pacer.delay(before: t0.addingTimeInterval(2 * tenYears), elapsed: .milliseconds(60_020)) == .seconds(60))
        #expect(pacer.compressedGaps == 2)
        #expect(log.lines.count == 1)
        #expect(log.lines.first?.level == .notice)
        #expect(log.lines.first?.message.contains("compressed") == true)
    }

    @Test func theMaximumWaitIsConfigurableAndShortGapsAreUntouched() {
        var pacer = ReplayPacer(speed: .factor(1), maximumWait: .seconds(5), logger: CapturedLog().logger)
        _ = pacer.delay(before: t0, elapsed: .zero)
        #expect(pacer.delay(before: t0.addingTimeInterval(5), elapsed: .zero) == .seconds(5))
        #expect(pacer.delay(before: t0.addingTimeInterval(3600), elapsed: .seconds(5)) == .seconds(5))
        #expect(pacer.delay(before: t0.addingTimeInterval(3601), elapsed: .seconds(10)) == .seconds(1))
        #expect(pacer.compressedGaps == 1)
        // Out of order after a compressed gap: no wait, and the gap is not counted again.
        #expect(pacer.delay(before: t0.addingTimeInterval(10), elapsed: .seconds(11)) == .zero)
        #expect(pacer.compressedGaps == 1)
    }

    @Test func parsesSpeeds() {
        #expect(ReplaySpeed("1") == .factor(1))
        #expect(ReplaySpeed("4x") == .factor(4))
        #expect(ReplaySpeed("max") == .maximum)
        #expect(ReplaySpeed("0") == nil)
        #expect(ReplaySpeed("fast") == nil)
    }
}

actor PostCollector {
    var posts: [Post] = []
    func add(_ batch: [Post]) { posts += batch }
}

/// Collects log lines so a test can count them.
final class CapturedLog: Sendable {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
    }

    private let stored = Mutex<[Line]>([])

    var lines: [Line] { stored.withLock { $0 } }

    var logger: Logger {
        Logger(label: "captured") { _ in Handler(sink: self) }
    }

    func append(_ line: Line) { stored.withLock { $0.append(line) } }

    struct Handler: LogHandler {
        let sink: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
                 file: String, function: String, line: UInt) {
            sink.append(Line(level: level, message: message.description))
        }
    }
}
