import PipelineModel
import Foundation
@testable import PipelineModel
import Storage
import PipelineTesting
import StreamRules
import Synchronization
import Testing
@testable import Listener

/// The byte-level shortcuts of the decode path against the reference behaviour they
/// replace: entity decoding against Foundation's replacements, and the borrowed-line path
/// that live reading and replay share (`read(line:into:)`, appending to one batch, the
/// fallback time read only when needed) against `process(line:)`. (The ASCII keyword tokenizer is checked
/// against `PostTokens` in StreamRulesTests.)
@Suite struct DecodingFastPathTests {
    @Test func asciiEntityDecodingEqualsFoundationsReplacements() {
        var random = SplitMix64(seed: 41)
        let pieces = ["&", "amp;", "lt;", "gt;", "&amp;", "&lt;", "&gt;", "&amp;lt;", "&&lt;", ";", "a", "m", "p", "l", "g", "t",
                      " ", "&am", "&l", "&g", "&lt", "x&gt;y"]
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...10, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            #expect(HTMLEntities.decodeAPIText(text) == HTMLEntities.decodeAPITextWithFoundation(text), "\(text)")
        }
    }

    @Test(arguments: ["&lt\u{37E} is a non-literal match", "café &amp; thé &lt;3", "😀&gt;", "no entity é", "&amp;lt;"])
    func nonASCIIEntityDecodingIsFoundations(text: String) {
        #expect(HTMLEntities.decodeAPIText(text) == HTMLEntities.decodeAPITextWithFoundation(text))
    }

    @Test func appendingProcessorEqualsProcessLine() throws {
        var random = SplitMix64(seed: 99)
        var lines = (0..<600).map { _ in Array(StreamMessageScannerTests.randomMessage(&random).utf8) }
        lines += [
            #"{"data":[{"id":"p1","text":"page"},{"id":"p2","text":"of posts"}]}"#,
            #"{"id":"b1","text":"bare coffee post","created_at":"2026-01-01T00:00:00Z"}"#,
            #"{"id":"b2","text":"bare post without a time"}"#,
            #"{"errors":[{"title":"operational-disconnect"}]}"#,
            #"{"keepalive":true}"#,
            "not json",
            #"{"data":{"text":"no id"}}"#,
        ].map { Array($0.utf8) }
        lines += lines.prefix(50)  // repeats, for the deduplicator
        lines.shuffle(using: &random)
        // Posts without matching_rules are placed by the own rules, or skipped as unmatched.
        let rules = KeywordResolver(ownRules: try RuleMatcher(rules: [TaggedRule.keyword("coffee"), TaggedRule.keyword("café")]))
        var reference = MessageProcessor(rules: rules)
        var appending = MessageProcessor(rules: rules)
        let time = Date(timeIntervalSince1970: 1_767_225_600)
        var expected: [Post] = []
        var appended: [Post] = []
        let started = Date()
        for (index, line) in lines.enumerated() {
            let receivedAt = index % 3 == 0 ? nil : time.addingTimeInterval(Double(index))
            let outcome = reference.process(line: line, receivedAt: receivedAt, fallbackTime: time)
            let isPosts = line.withUnsafeBytes { appending.read(line: $0, receivedAt: receivedAt, into: &appended) } == .posts
            if case .posts(let posts) = outcome {
                #expect(isPosts)
                expected += posts
            } else {
                #expect(!isPosts)
            }
        }
        // The fallback time is "now" on the appending path; b2, when replayed without a
        // receive time, is the only post that falls back to it.
        #expect(appended.count == expected.count)
        for index in appended.indices where index < expected.count && appended[index].id == "b2"
            && expected[index].receivedAt == time {
            #expect(appended[index].receivedAt >= started)
            appended[index].receivedAt = time
        }
        if let mismatch = zip(appended, expected).first(where: { $0 != $1 }) {
            Issue.record("first difference: \(mismatch.0) vs \(mismatch.1)")
        }
        #expect(appending.counts == reference.counts)
    }
}

/// A clock whose sleeps return at once, having moved the time to their deadline.
final class InstantSleepClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct State {
        var current = Instant(offset: .zero)
        var slept: [Duration] = []
    }

    private let state = Mutex(State())

    var now: Instant { state.withLock { $0.current } }
    var minimumResolution: Duration { .nanoseconds(1) }
    /// Every sleep, in order.
    var sleeps: [Duration] { state.withLock { $0.slept } }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        state.withLock { state in
            state.slept.append(state.current.duration(to: deadline))
            state.current = max(state.current, deadline)
        }
    }
}

@Suite struct PacedReplayTests {
    @Test func postsBeforeAWaitAreHandedOffBeforeIt() async throws {
        let base = Date(timeIntervalSince1970: 1_764_449_538)
        let offsets: [Double] = [0, 0, 2, 2, 5]
        var text = ""
        for (index, offset) in offsets.enumerated() {
            text += Timestamp.format(base.addingTimeInterval(offset)) + "\t"
            text += String(decoding: ArchiveReplayTests.message(index + 1), as: UTF8.self) + "\n"
        }
        let file = try temporaryDirectory().appendingPathComponent("paced.jsonl")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let clock = InstantSleepClock()
        let batches = BatchCollector()
        let report = try await Replayer(speed: .factor(1), rules: KeywordResolver())
            .run(files: [file], clock: clock, submit: { await batches.add($0.map(\.id)) })
        #expect(await batches.batches == [["1", "2"], ["3", "4"], ["5"]])
        #expect(clock.sleeps == [.seconds(2), .seconds(3)])
        #expect(report.posts == 5)
    }
}

actor BatchCollector {
    var batches: [[String]] = []
    func add(_ batch: [String]) { batches.append(batch) }
}

@Suite struct ReplayReaderFramingTests {
    /// The reader frames lines in place, copying only those cut by its 256 KiB reads: over
    /// a file of several reads it must give what `LineFramer.append` gives for the whole
    /// file — lines, skipped heartbeats, oversized lines counted, the last line unterminated.
    @Test func linesAreThoseTheFramerEmitsForTheWholeFile() throws {
        var random = SplitMix64(seed: 11)
        var content: [UInt8] = []
        while content.count < 700_000 {
            let length = Int.random(in: 0...2_500, using: &random)
            content += (0..<length).map { _ in UInt8.random(in: 0x20...0x7E, using: &random) }
            content += Bool.random(using: &random) ? [13, 10] : [10]
        }
        content += Array("last line without a terminator\r".utf8)
        let file = try temporaryDirectory().appendingPathComponent("lines.jsonl")
        try Data(content).write(to: file)

        var framer = LineFramer(maximumLineLength: 2_000)
        var expected: [[UInt8]] = []
        var oversized = 0
        let frames = framer.append(content) + [framer.finishAsLine()].compactMap { $0 }
        for frame in frames {
            switch frame {
            case .line(let bytes): expected.append(bytes)
            case .heartbeat: break
            case .oversized: oversized += 1
            }
        }
        let reader = try ReplayReader(url: file, maximumLineLength: 2_000)
        var lines: [[UInt8]] = []
        while let line = try reader.nextLine() { lines.append(line) }
        #expect(lines.count == expected.count)
        #expect(lines == expected)
        #expect(reader.oversizedLines == oversized)
        #expect(oversized > 0 && expected.count > 300, "the file exercises both kinds of line")
    }
}
