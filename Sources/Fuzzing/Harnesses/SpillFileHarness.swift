import Foundation
import Listener
import PipelineModel
import Storage

/// `SpillFile` through its public API: a file of posts written by it, corrupted on disk
/// (the input is the corrupted file), reopened and drained. Invariants: opening and
/// draining either work or throw; draining ends (every peek makes progress) and never
/// yields more posts than the file has records (record markers, or lines for a file of
/// the old JSON-lines format, which is converted on open).
public final class SpillFileHarness: FuzzHarness {
    public let name = "spill-file"
    public let seeds: [[UInt8]]
    private let folder: URL

    /// A harness working in a fresh temporary folder; seeds are files `SpillFile` wrote.
    public init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-spill-\(UUID().uuidString)")
        let url = folder.appendingPathComponent("seed.jsonl")
        let spill = try SpillFile(url: url)
        let when = Date(timeIntervalSince1970: 1_795_953_630)
        try spill.append([
            Post(id: "1", text: "I love it 😀", keywords: ["swift"], authorUsername: "alice", createdAt: when, receivedAt: when),
            Post(id: "2", text: "tab\tquote\" NUL\u{0}", keywords: ["rust", "c++"], receivedAt: when),
        ])
        try spill.append([Post(id: "3", text: "", keywords: [], receivedAt: when, goldLabel: .negative)])
        seeds = [try Array(Data(contentsOf: url))]
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    public func check(_ input: [UInt8]) async throws {
        let url = folder.appendingPathComponent("spill.jsonl")
        try? FileManager.default.removeItem(at: url.appendingPathExtension("offset"))
        try Data(input).write(to: url)
        guard let spill = try? SpillFile(url: url) else { return }
        let lines = input.lazy.filter { $0 == 10 }.count + 1
        let marker: [UInt8] = [0xFF, 0xFE, 0x53, 0x50]
        let records = input.count < 4 ? 0 : (0...(input.count - 4)).filter { input[$0..<($0 + 4)].elementsEqual(marker) }.count
        var posts = 0
        var rounds = 0
        while spill.hasPending {
            rounds += 1
            try invariant(rounds <= input.count + 1, "draining does not end")
            guard let (batch, consumed) = try? spill.peek(limit: 2) else { return }
            try invariant(consumed > 0, "peek made no progress with \(spill.pendingBytes) bytes pending")
            posts += batch.count
            guard (try? spill.commit(consumedBytes: consumed)) != nil else { return }
        }
        try invariant(posts <= records + lines, "\(posts) posts from \(records) records and \(lines) lines")
    }
}
