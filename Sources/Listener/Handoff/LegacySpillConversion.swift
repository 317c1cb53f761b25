import Foundation
import PipelineModel

/// Reads the JSON-lines spill file of earlier versions (one `Post` per line) and writes
/// its posts as `SpillRecord`s, so an upgrade keeps what an older listener had spilled.
/// Lines are read whole, whatever their length (a fixed read size is what wedged the old
/// reader); a last line without its newline is kept when it is a complete post.
enum LegacySpillConversion {
    /// What a conversion found.
    struct Result {
        /// Posts written to the new file.
        var posts = 0
        /// Lines that are not posts: offset in the legacy file and length.
        var badLines: [(offset: UInt64, length: UInt64)] = []
    }

    /// Converts the lines of `source` from byte `offset` on into a new file at
    /// `destination` (replaced if present), which is complete when this returns.
    static func convert(from source: URL, startingAt offset: UInt64, to destination: URL,
                        encoder: JSONEncoder, decoder: JSONDecoder) throws -> Result {
        let input = try FileHandle(forReadingFrom: source)
        defer { try? input.close() }
        let end = try input.seekToEnd()
        try input.seek(toOffset: min(offset, end))
        guard FileManager.default.createFile(atPath: destination.path, contents: Data(SpillRecord.fileHeader)) else {
            throw ListenerError.configuration("cannot create \(destination.path) to convert the spill file")
        }
        let output = try FileHandle(forWritingTo: destination)
        defer { try? output.close() }
        try output.seekToEnd()

        var result = Result()
        var pending: [UInt8] = []
        var line: [UInt8] = []
        var lineStart = min(offset, end)
        func finish(_ line: [UInt8], at start: UInt64, isComplete: Bool) throws {
            guard !line.isEmpty else { return }
            if let post = try? decoder.decode(Post.self, from: Data(line)) {
                pending += SpillRecord.frame(Array(try encoder.encode(post)))
                result.posts += 1
            } else {
                result.badLines.append((start, UInt64(line.count) + (isComplete ? 1 : 0)))
            }
            if pending.count >= 1 << 20 {
                try output.write(contentsOf: Data(pending))
                pending.removeAll(keepingCapacity: true)
            }
        }
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            var rest = chunk[...]
            while let newline = rest.firstIndex(of: 10) {
                line += rest[..<newline]
                try finish(line, at: lineStart, isComplete: true)
                lineStart += UInt64(line.count + 1)
                line.removeAll(keepingCapacity: true)
                rest = rest[(newline + 1)...]
            }
            line += rest
        }
        try finish(line, at: lineStart, isComplete: false)
        try output.write(contentsOf: Data(pending))
        try output.synchronize()
        return result
    }
}
