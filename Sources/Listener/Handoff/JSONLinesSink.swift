import Foundation
import PipelineModel

/// A `PostSink` that writes each new post as one JSON line to a file handle (stdout
/// for a listener without MongoDB). It ignores ids it recently wrote, like the real queue does, so
/// re-sent batches (after a spill) are not printed twice.
public actor JSONLinesSink: PostSink {
    private let output: FileHandle
    private var seen = PostDeduplicator(generationSize: 500_000)
    private let encoder: JSONEncoder

    /// Writes to `output`.
    public init(output: FileHandle) {
        self.output = output
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
    }

    public func enqueue(_ posts: [Post]) async throws -> EnqueueOutcome {
        var data = Data()
        var accepted = 0
        for post in posts where seen.isFirstSighting(of: post.id) {
            data.append(try encoder.encode(post))
            data.append(10)
            accepted += 1
        }
        if !data.isEmpty { try output.write(contentsOf: data) }
        return EnqueueOutcome(accepted: accepted, duplicates: posts.count - accepted)
    }
}
