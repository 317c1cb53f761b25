import Foundation
import Listener
import Logging

/// What the run's feed reported when it ended: the live stream's totals or the replay's.
public enum FeedReport: Sendable {
    /// The live stream stopped (graceful shutdown).
    case live(StreamListener.Report)
    /// The replay read its files to the end, or was stopped (`stopped`).
    case replay(Replayer.Report)

    /// True when a replay read every file to the end.
    public var replayCompleted: Bool {
        if case .replay(let report) = self { return !report.stopped }
        return false
    }

    /// Logs the run's totals as one `info` line (`replay finished`, `replay stopped before
    /// the end of its files` or `listener stopped`), with what the hand-off did, and tells
    /// the user on stderr how many malformed lines a replay skipped.
    public func log(command: String, handoff: PostHandoff.Totals, logger: Logger) {
        var metadata: Logger.Metadata = [
            "enqueued": "\(handoff.enqueued)", "queue_duplicates": "\(handoff.duplicates)",
            "spilled": "\(handoff.spilled)", "drained_from_spill": "\(handoff.drained)",
        ]
        switch self {
        case .replay(let replay):
            metadata["files"] = "\(replay.files)"
            metadata["lines"] = "\(replay.lines)"
            metadata["read"] = "\(replay.posts + replay.duplicates)"
            metadata["posts"] = "\(replay.posts)"
            metadata["duplicates"] = "\(replay.duplicates)"
            metadata["malformed"] = "\(replay.malformed)"
            metadata["unrecognized"] = "\(replay.unrecognized)"
            metadata["unmatched"] = "\(replay.unmatched)"
            metadata["keywords_dropped"] = "\(replay.droppedKeywords)"
            logger.info(replay.stopped ? "replay stopped before the end of its files" : "replay finished",
                        metadata: metadata)
            if replay.malformed > 0 {
                FileHandle.standardError.write(Data("\(command): \(replay.malformed) malformed line(s) skipped\n".utf8))
            }
        case .live(let live):
            metadata["messages"] = "\(live.counts.messages)"
            metadata["read"] = "\(live.counts.posts)"
            metadata["duplicates"] = "\(live.counts.duplicates)"
            metadata["malformed"] = "\(live.counts.malformed)"
            metadata["heartbeats"] = "\(live.counts.heartbeats)"
            metadata["connections"] = "\(live.connections)"
            logger.info("listener stopped", metadata: metadata)
        }
    }
}
