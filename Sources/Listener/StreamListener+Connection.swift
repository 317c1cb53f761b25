import Foundation
import Logging
import Metrics
import PipelineModel

extension StreamListener {
    /// How one connection went, for the connection loop (`run`) and its `ReconnectPolicy`.
    struct ConnectionEnd {
        /// When the server answered 200, if it did.
        var connectedAt: Date?
        /// Why the connection is over (an operational disconnect announced in the stream
        /// wins over the transfer's own ending).
        var cause: DisconnectCause
        /// The start of the body of a non-200 answer.
        var errorBody: String
    }

    /// Follows one connection to its end: each chunk of bytes goes through a
    /// `ConnectionReader` (frame, archive, decode, resolve, dedupe), its posts to
    /// `handoff`, and only then is the chunk reported consumed, so libcurl reads on only
    /// as fast as posts are handed off. Cancelling the task cancels the connection.
    func follow(_ connection: StreamConnection, backfillMinutes: Int, processor: inout MessageProcessor,
                handoff: PostHandoff, archive: ArchiveWriter?, metrics: StreamMetrics) async -> ConnectionEnd {
        var reader = ConnectionReader(maximumLineLength: configuration.maximumLineLength, archive: archive, logger: logger)
        var connectedAt: Date?
        var ended: DisconnectCause?
        var errorBody = ""
        await withTaskCancellationHandler {
            for await event in connection.events {
                switch event {
                case .head(let head):
                    if head.status == 200 {
                        connectedAt = Date()
                        logger.info("stream connected", metadata: ["backfill_minutes": "\(backfillMinutes)"])
                    }
                case .bytes(let bytes):
                    metrics.bytes.increment(by: bytes.count)
                    var posts: [Post] = []
                    bytes.withUnsafeBytes { reader.read($0, receivedAt: Date(), processor: &processor, into: &posts) }
                    if !posts.isEmpty { await handoff.submit(posts) }
                    // Only now (posts handed off or spilled) may libcurl read on.
                    connection.consumed(bytes.count)
                    if reader.operationalDisconnect { connection.cancel() }
                case .ended(let cause, let body):
                    ended = cause
                    errorBody = body
                }
            }
        } onCancel: {
            connection.cancel()
        }
        reader.finish(processor: &processor)
        return ConnectionEnd(connectedAt: connectedAt,
                             cause: reader.operationalDisconnect ? .operationalDisconnect : (ended ?? .streamEnded),
                             errorBody: errorBody)
    }
}

/// The connection loop's metrics (swift-metrics handles are cheap values).
struct StreamMetrics: Sendable {
    /// The last back-off wait before a connection attempt.
    let backoff = Gauge(label: "listener_backoff_seconds")
    /// Body bytes received, all connections.
    let bytes = Counter(label: "listener_bytes_received_total")

    /// Counts a reconnect by the cause of the disconnect before it.
    func reconnected(after cause: DisconnectCause) {
        Counter(label: "listener_reconnects_total", dimensions: [("cause", cause.label)]).increment()
    }
}
