import Foundation
import Logging
import PipelineModel

/// Reads the body of one stream connection: frames each chunk into lines (`LineFramer`,
/// lines borrowed from the chunk where they lie whole), archives each line as received,
/// and passes it along the one line path live and replay share
/// (`MessageProcessor.read`), which appends the new posts to the caller's batch. In-stream
/// errors are logged here; an operational disconnect is remembered so the caller can end
/// the connection. No waiting and no network: the caller owns the connection.
struct ConnectionReader {
    private var framer: LineFramer
    private let archive: ArchiveWriter?
    private let logger: Logger
    /// The server announced that it closes the stream.
    private(set) var operationalDisconnect = false

    /// A reader for a new connection.
    init(maximumLineLength: Int, archive: ArchiveWriter?, logger: Logger) {
        framer = LineFramer(maximumLineLength: maximumLineLength)
        self.archive = archive
        self.logger = logger
    }

    /// Reads the lines `chunk` completes, received at `now`, appending their new posts to `posts`.
    mutating func read(_ chunk: UnsafeRawBufferPointer, receivedAt now: Date, processor: inout MessageProcessor,
                       into posts: inout [Post]) {
        var offset = 0
        while let frame = framer.nextFrame(in: chunk, from: &offset) {
            switch frame {
            case .line(let line):
                read(line: line, receivedAt: now, processor: &processor, into: &posts)
            case .ownedLine(let line):
                line.withUnsafeBytes { read(line: $0, receivedAt: now, processor: &processor, into: &posts) }
            case .heartbeat:
                processor.countHeartbeat()
            case .oversized:
                processor.countOversized()
            }
        }
    }

    /// The connection is over: a line it cut off counts as malformed.
    mutating func finish(processor: inout MessageProcessor) {
        if framer.finish() != nil { processor.countTruncated() }
    }

    private mutating func read(line: UnsafeRawBufferPointer, receivedAt now: Date, processor: inout MessageProcessor,
                               into posts: inout [Post]) {
        if let archive {
            do { try archive.write(line, receivedAt: now) } catch {
                logger.error("archive write failed", metadata: ["error": "\(error)"])
            }
        }
        switch processor.read(line: line, receivedAt: now, into: &posts) {
        case .operationalDisconnect(let errors):
            operationalDisconnect = true
            logger.warning("operational disconnect", metadata: [
                "detail": "\(errors.first?.detail ?? errors.first?.title ?? "")",
            ])
        case .streamError(let errors):
            logger.warning("stream error message", metadata: [
                "title": "\(errors.first?.title ?? "")", "detail": "\(errors.first?.detail ?? "")",
            ])
        case .posts, .nothing:
            break
        }
    }
}
