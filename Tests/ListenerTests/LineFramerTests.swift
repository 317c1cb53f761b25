import PipelineModel
import Foundation
import PipelineTesting
import Testing
@testable import Listener

@Suite struct LineFramerTests {
    /// A stream body with posts, heartbeats, multi-byte UTF-8 (2-, 3- and 4-byte) and a
    /// line ending in bare `\n`.
    static let body: [UInt8] = Array((
        "{\"data\":{\"id\":\"1\",\"text\":\"café ☕ naïve\"}}\r\n" +
        "\r\n" +
        "{\"data\":{\"id\":\"2\",\"text\":\"emoji 😀👍🏽 and 漢字\"}}\r\n" +
        "\r\n\r\n" +
        "{\"data\":{\"id\":\"3\",\"text\":\"plain\"}}\n" +
        "{\"errors\":[{\"title\":\"operational-disconnect\"}]}\r\n"
    ).utf8)

    static func frames(of body: [UInt8], cuts: [Int], limit: Int = 1 << 20) -> ([LineFramer.Frame], Int?) {
        var framer = LineFramer(maximumLineLength: limit)
        var frames: [LineFramer.Frame] = []
        var start = 0
        for cut in cuts.sorted() + [body.count] where cut >= start {
            frames += framer.append(body[start..<cut])
            start = cut
        }
        return (frames, framer.finish())
    }

    @Test func framesLinesAndHeartbeats() {
        let (frames, rest) = Self.frames(of: Self.body, cuts: [])
        #expect(rest == nil)
        #expect(frames.count == 7)
        #expect(frames.filter { $0 == .heartbeat }.count == 3)
        guard case .line(let second) = frames[2] else { Issue.record("expected a line"); return }
        #expect(String(decoding: second, as: UTF8.self) == "{\"data\":{\"id\":\"2\",\"text\":\"emoji 😀👍🏽 and 漢字\"}}")
        guard case .line(let third) = frames[5] else { Issue.record("expected a line"); return }
        #expect(third.last == UInt8(ascii: "}"), "a bare \\n ends a line too, and \\r is stripped")
    }

    @Test func everySingleCutPointGivesTheSameFrames() {
        let (expected, _) = Self.frames(of: Self.body, cuts: [])
        for cut in 0...Self.body.count {
            let (frames, rest) = Self.frames(of: Self.body, cuts: [cut])
            #expect(frames == expected, "cut at \(cut)")
            #expect(rest == nil)
        }
    }

    @Test func byteByByteGivesTheSameFrames() {
        let (expected, _) = Self.frames(of: Self.body, cuts: [])
        let (frames, _) = Self.frames(of: Self.body, cuts: Array(0..<Self.body.count))
        #expect(frames == expected)
    }

    /// Property: any random chunking of any mix of messages yields the same frames.
    @Test(arguments: 0..<200) func randomChunkingYieldsTheSameFrames(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        var body: [UInt8] = []
        var expected: [LineFramer.Frame] = []
        let alphabet = Array("ab c\"{}:é☕😀漢\\".unicodeScalars).map(String.init)
        for _ in 0..<Int.random(in: 1...30, using: &rng) {
            if Bool.random(using: &rng) && Bool.random(using: &rng) {
                body += [13, 10]
                expected.append(.heartbeat)
            } else {
                let text = (0..<Int.random(in: 1...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
                let line = Array(text.utf8)
                body += line + (Bool.random(using: &rng) ? [13, 10] : [10])
                expected.append(.line(line))
            }
        }
        let cuts = (0..<Int.random(in: 0...20, using: &rng)).map { _ in Int.random(in: 0...body.count, using: &rng) }
        let (frames, rest) = Self.frames(of: body, cuts: cuts)
        #expect(frames == expected)
        #expect(rest == nil)
        for frame in frames {
            if case .line(let bytes) = frame { #expect(String(validating: bytes, as: UTF8.self) != nil) }
        }
    }

    @Test func oversizedLineIsSkippedWhateverTheChunking() {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 100)
        let body = Array("ok\r\n".utf8) + long + [13, 10] + Array("after\r\n".utf8)
        for cut in 0...body.count {
            let (frames, _) = Self.frames(of: body, cuts: [cut], limit: 10)
            #expect(frames.count == 3, "cut at \(cut)")
            #expect(frames.first == .line(Array("ok".utf8)))
            #expect(frames.last == .line(Array("after".utf8)))
            guard case .oversized(let count) = frames[1] else { Issue.record("cut at \(cut)"); continue }
            #expect((100...101).contains(count), "the \\r may or may not be counted")
        }
    }

    @Test func lineAtTheLimitIsKept() {
        let line = [UInt8](repeating: 65, count: 10)
        let (frames, _) = Self.frames(of: line + [13, 10], cuts: [5, 10, 11], limit: 10)
        #expect(frames == [.line(line)])
        let (longer, _) = Self.frames(of: line + [65, 13, 10], cuts: [5, 11], limit: 10)
        #expect(longer.count == 1)
        if case .oversized = longer.first {} else { Issue.record("11 bytes over a limit of 10 must be oversized") }
    }

    @Test func oversizedLineDoesNotGrowTheBuffer() {
        var framer = LineFramer(maximumLineLength: 1000)
        let chunk = [UInt8](repeating: 65, count: 64 * 1024)
        for _ in 0..<100 { #expect(framer.append(chunk).isEmpty) }
        #expect(framer.append([13, 10]) == [.oversized(byteCount: 100 * 64 * 1024 + 1)])
        #expect(framer.append(Array("x\n".utf8)) == [.line([UInt8(ascii: "x")])])
    }

    @Test func truncatedTrailingLineIsReportedByFinish() {
        var framer = LineFramer()
        #expect(framer.append(Array("{\"data\":{\"id\":\"1\"}}\r\n{\"data\":{\"id".utf8)).count == 1)
        #expect(framer.hasPartialLine)
        #expect(framer.finish() == 12)
        #expect(!framer.hasPartialLine)
        #expect(framer.finish() == nil)
    }
}
