import Foundation
import PipelineModel
import Storage
import PipelineTesting
import Testing
@testable import Listener

/// The spill file on disk: framing of any size, damage skipped without blocking what
/// follows, torn tails, restarts, upgrades from the JSON-lines format, and no file left
/// lying around when nothing waits.
@Suite(.timeLimit(.minutes(2))) struct SpillFileTests {
    /// Drains `spill` the way `PostHandoff` does; fails instead of looping forever.
    func drain(_ spill: SpillFile, batch: Int = 4) throws -> [Post] {
        var drained: [Post] = []
        var rounds = 0
        while spill.hasPending {
            rounds += 1
            guard rounds < 10_000 else {
                Issue.record("the spill file does not drain")
                break
            }
            let (posts, bytes) = try spill.peek(limit: batch)
            guard bytes > 0 else {
                Issue.record("peek made no progress with \(spill.pendingBytes) bytes pending")
                break
            }
            drained += posts
            try spill.commit(consumedBytes: bytes)
        }
        return drained
    }

    func slashPost() -> Post {
        Post(id: "big", text: String(repeating: "/", count: 600_000), keywords: ["k"],
             receivedAt: Date(timeIntervalSince1970: 0))
    }

    func fileSize(_ url: URL) throws -> UInt64 {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.uint64Value ?? 0
    }

    func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

    @Test func aHugePostDoesNotWedgeTheDrain() throws {
        let url = try temporaryDirectory().appendingPathComponent("spill.bin")
        let spill = try SpillFile(url: url)
        try spill.append([slashPost()])
        try spill.append(makePosts(1...10))
        #expect(try fileSize(url) < 700_000, "slashes are not escaped")
        #expect(try drain(spill) == [slashPost()] + makePosts(1...10))
        #expect(spill.corruptLines == 0)
    }

    @Test func aHugeLastPostIsKeptAcrossARestart() throws {
        let url = try temporaryDirectory().appendingPathComponent("spill.bin")
        try SpillFile(url: url).append(makePosts(1...3) + [slashPost()])
        let reopened = try SpillFile(url: url)
        #expect(try drain(reopened) == makePosts(1...3) + [slashPost()])
        #expect(reopened.corruptLines == 0)
    }

    @Test func nothingOnDiskUntilAPostSpillsAndNothingAfterTheDrain() throws {
        let url = try temporaryDirectory().appendingPathComponent("state/spill.bin")
        let offset = url.appendingPathExtension("offset")
        let spill = try SpillFile(url: url)
        try spill.append([])
        #expect(!exists(url) && !exists(url.deletingLastPathComponent()))
        #expect(!spill.hasPending)

        try spill.append(makePosts(1...10))
        let (posts, bytes) = try spill.peek(limit: 4)
        try spill.commit(consumedBytes: bytes)
        #expect(posts == makePosts(1...4))
        #expect(exists(url) && exists(offset))
        #expect(try drain(spill) == makePosts(5...10))
        #expect(!exists(url) && !exists(offset), "removed, not truncated")

        try spill.append(makePosts(11...12))  // spills again after a drain
        #expect(try drain(try SpillFile(url: url)) == makePosts(11...12))
        #expect(!exists(url))
    }

    @Test func aRestartResumesAtTheSavedOffset() throws {
        let url = try temporaryDirectory().appendingPathComponent("spill.bin")
        let first = try SpillFile(url: url)
        try first.append(makePosts(1...10))
        let (batch, bytes) = try first.peek(limit: 4)
        #expect(batch == makePosts(1...4))
        #expect(try first.peek(limit: 4).posts == makePosts(1...4), "peek does not consume")
        try first.commit(consumedBytes: bytes)
        let reopened = try SpillFile(url: url)
        #expect(try drain(reopened) == makePosts(5...10))
    }

    @Test func aDamagedPayloadIsCountedWithItsOffsetAndSkipped() throws {
        let url = try temporaryDirectory().appendingPathComponent("spill.bin")
        let spill = try SpillFile(url: url)
        try spill.append(makePosts(1...2))
        let damaged = try fileSize(url)
        try spill.append(makePosts(3...6))
        try flip(url, at: damaged + UInt64(SpillRecord.headerSize) + 5)

        let reopened = try SpillFile(url: url)
        #expect(try drain(reopened, batch: 2).map(\.id) == ["1", "2", "4", "5", "6"])
        #expect(reopened.corruptLines == 1)
        #expect(reopened.recentCorruptions.map(\.offset) == [damaged])
        #expect(reopened.recentCorruptions.map(\.reason) == [.checksumMismatch])
    }

    @Test func aDamagedLengthIsSkippedByResynchronising() throws {
        let url = try temporaryDirectory().appendingPathComponent("spill.bin")
        let spill = try SpillFile(url: url)
        try spill.append(makePosts(1...2))
        let damaged = try fileSize(url)
        try spill.append(makePosts(3...3) + [slashPost()] + makePosts(4...6))
        // The length's high byte: read as is, it would claim gigabytes.
        try flip(url, at: damaged + 7)

        let reopened = try SpillFile(url: url)
        #expect(try drain(reopened).map(\.id) == ["1", "2", "big", "4", "5", "6"])
        #expect(reopened.corruptLines == 1)
        #expect(reopened.recentCorruptions == [
            SpillFile.Corruption(offset: damaged, length: try recordSize(makePosts(3...3)[0]), reason: .damagedHeader),
        ])
    }

    @Test func damageIsCountedOnceThoughPeekedTwice() throws {
        let url = try temporaryDirectory().appendingPathComponent("spill.bin")
        let spill = try SpillFile(url: url)
        try spill.append(makePosts(1...1))
        let damaged = try fileSize(url)
        try spill.append(makePosts(2...3))
        try flip(url, at: damaged + UInt64(SpillRecord.headerSize) + 1)
        #expect(try spill.peek(limit: 10).posts == makePosts(1...1) + makePosts(3...3))
        #expect(try spill.peek(limit: 10).posts == makePosts(1...1) + makePosts(3...3))
        #expect(spill.corruptLines == 1)
    }

    @Test func aTornTailIsTruncatedOnOpenAndCounted() throws {
        let url = try temporaryDirectory().appendingPathComponent("spill.bin")
        try SpillFile(url: url).append(makePosts(1...2))
        let intact = try fileSize(url)
        try SpillFile(url: url).append(makePosts(3...3))
        let handle = try FileHandle(forUpdating: url)
        try handle.truncate(atOffset: try fileSize(url) - 7)  // crash mid-append
        try handle.close()

        let reopened = try SpillFile(url: url)
        #expect(try fileSize(url) == intact)
        #expect(reopened.recentCorruptions.map(\.reason) == [.tornTail])
        #expect(reopened.recentCorruptions.first?.offset == intact)
        try reopened.append(makePosts(4...5))
        #expect(try drain(reopened) == makePosts(1...2) + makePosts(4...5), "later posts do not land behind the torn bytes")
        #expect(reopened.corruptLines == 1)
    }

    @Test func aFileOfAnotherFormatIsAClearErrorAndIsLeftAsItWas() throws {
        let url = try temporaryDirectory().appendingPathComponent("spill.jsonl")
        let text = Data(try JSONEncoder().encode(makePosts(1...1)[0]) + Data("\n".utf8))
        try text.write(to: url)
        #expect {
            _ = try SpillFile(url: url)
        } throws: { error in
            "\(error)".contains("is not a spill file of this listener")
        }
        #expect(try Data(contentsOf: url) == text)
    }

    @Test func aDamagedHeaderIsMendedAndItsPostsStillDrain() throws {
        let url = try temporaryDirectory().appendingPathComponent("spill.bin")
        try SpillFile(url: url).append(makePosts(1...3))
        try flip(url, at: 2, bit: 3)
        let reopened = try SpillFile(url: url)
        #expect(reopened.recentCorruptions.map(\.reason) == [.damagedHeader])
        #expect(try drain(reopened) == makePosts(1...3))
    }

    @Test func randomDamageNeverCrashesLoopsOrBlocksLaterPosts() throws {
        var random = SplitMix64(seed: 12)
        let directory = try temporaryDirectory()
        for round in 0..<150 {
            let url = directory.appendingPathComponent("spill-\(round).bin")
            let written = (0..<Int.random(in: 1...12, using: &random)).map { index in
                Post(id: "\(round)-\(index)", text: String(repeating: "ab/", count: Int.random(in: 0...300, using: &random)),
                     keywords: ["k"], receivedAt: Date(timeIntervalSince1970: Double(index)))
            }
            try SpillFile(url: url).append(written)
            let size = try fileSize(url)
            if Bool.random(using: &random) {
                let handle = try FileHandle(forUpdating: url)
                try handle.truncate(atOffset: UInt64.random(in: 0..<size, using: &random))
                try handle.close()
            }
            for _ in 0..<Int.random(in: 0...4, using: &random) where try fileSize(url) > 0 {
                try flip(url, at: UInt64.random(in: 0..<(try fileSize(url)), using: &random),
                         bit: UInt8.random(in: 0..<8, using: &random))
            }
            let fresh = makePosts(1...3).map { post -> Post in
                var post = post
                post.id = "fresh-\(round)-\(post.id)"
                return post
            }
            let reopened = try SpillFile(url: url)
            try reopened.append(fresh)
            let drained = try drain(reopened, batch: Int.random(in: 1...5, using: &random))
            #expect(Array(drained.suffix(3)) == fresh, "round \(round): damage blocked later posts")
            let survivors = drained.dropLast(3)
            #expect(isInOrder(Array(survivors), within: written), "round \(round): a post was invented or reordered")
            #expect(!exists(url))
        }
    }

    // MARK: - Helpers

    func isInOrder(_ posts: [Post], within written: [Post]) -> Bool {
        var remaining = written[...]
        for post in posts {
            guard let index = remaining.firstIndex(of: post) else { return false }
            remaining = remaining[(index + 1)...]
        }
        return true
    }

    func recordSize(_ post: Post) throws -> UInt64 {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return UInt64(SpillRecord.headerSize + (try encoder.encode(post)).count)
    }

    func flip(_ url: URL, at offset: UInt64, bit: UInt8 = 0) throws {
        let handle = try FileHandle(forUpdating: url)
        defer { try? handle.close() }
        try handle.seek(toOffset: offset)
        guard let byte = try handle.read(upToCount: 1)?.first else { return }
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: Data([byte ^ (1 << bit)]))
    }
}
