import Foundation
import Listener
import Logging
import PipelineModel
import ServiceLifecycle

extension SourceOptions {
    /// The run's feed as one part of the service group, handing posts to `handoff`: the
    /// live stream (rules synced, raw lines archived with `--archive`) or, with `--replay`,
    /// the archives at `--speed`, never faster than the queue takes them. The one place
    /// `listener` and `pipeline` build it, so both read posts the same way.
    ///
    /// `before` runs first (servers bound, queue prepared); `onSubmit` sees each replayed
    /// batch as it is handed off; `finished` receives the report, also after a stop. A
    /// replay shows a progress bar on a terminal.
    public func feed(handoff: PostHandoff, logger: Logger,
                     before: @escaping @Sendable () async throws -> Void = {},
                     onSubmit: (@Sendable ([Post]) -> Void)? = nil,
                     finished: @escaping @Sendable (FeedReport) -> Void) throws -> any Service {
        guard !replay.isEmpty else {
            return LiveSource(listener: StreamListener(configuration: try streamConfiguration(), logger: logger),
                              token: try bearerToken(), handoff: handoff, archive: try archiveWriter(),
                              before: before, finished: { finished(.live($0)) })
        }
        let bar = ProgressBar.onTerminal(title: "replay")
        let progress: (@Sendable (Replayer.Progress) -> Void)? = bar.map { bar in
            { @Sendable progress in bar.draw(fraction: progress.fraction, detail: progress.summary) }
        }
        return ReplaySource(replayer: replayer(), files: replayFiles, handoff: handoff, progress: progress,
                            onSubmit: onSubmit, before: before,
                            finished: { report in
                                bar?.finish()
                                finished(.replay(report))
                            })
    }
}
