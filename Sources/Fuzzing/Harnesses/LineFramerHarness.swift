import Listener

/// `LineFramer` with the input cut into chunks at places the input itself picks.
/// Invariants: the frames do not depend on the cut; no line is longer than the limit or
/// holds a newline; frames never account for more bytes than were given.
public struct LineFramerHarness: FuzzHarness {
    public let name = "line-framer"
    public let seeds: [[UInt8]] = [
        "{\"data\":{\"id\":\"1\"}}\r\n\r\n{\"data\":{\"id\":\"2\"}}\n",
        "\n\n\r\n", "a\rb\r\r\nc", String(repeating: "x", count: 300) + "\ny\n",
        "partial line without end",
    ].map { Array($0.utf8) }

    /// A harness.
    public init() {}

    public mutating func check(_ input: [UInt8]) async throws {
        let limit = 1 + Int(input.first ?? 0)
        var whole = LineFramer(maximumLineLength: limit)
        let expected = whole.append(input)
        let expectedTail = whole.finish()

        var chunked = LineFramer(maximumLineLength: limit)
        var frames: [LineFramer.Frame] = []
        var start = 0
        var step = 0
        while start < input.count {
            let size = 1 + Int(input[(step * 7) % input.count]) % 97
            let end = min(input.count, start + size)
            input[start..<end].withUnsafeBytes { raw in chunked.append(raw) { frames.append($0) } }
            start = end
            step += 1
        }
        try invariant(frames == expected, "frames depend on where chunks are cut")
        try invariant(chunked.finish() == expectedTail, "the unterminated tail depends on the cut")

        var accounted = 0
        for frame in frames {
            switch frame {
            case .line(let bytes):
                try invariant(!bytes.isEmpty && bytes.count <= limit, "a line of \(bytes.count) bytes (limit \(limit))")
                try invariant(!bytes.contains(10), "a line holds a newline")
                accounted += bytes.count + 1
            case .heartbeat:
                accounted += 1
            case .oversized(let count):
                try invariant(count > limit, "oversized line of \(count) bytes is within the limit \(limit)")
                accounted += count + 1
            }
        }
        try invariant(accounted <= input.count, "frames account for \(accounted) bytes of \(input.count)")
    }
}
