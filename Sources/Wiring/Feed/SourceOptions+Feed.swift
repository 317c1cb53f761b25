import Foundation
import Listener
import Logging
import PipelineModel
import ServiceLifecycle

extension SourceOptions {
    /// The run's feed as one part of the service group, handing posts to `handoff`: the
    /// live stream, or the archives with `--replay`. The one place `listener` and
    /// `pipeline run` build it, so both read posts the same way.
    ///
    /// `before` runs first (servers bound, queue prepared); `onSubmit` sees each replayed
    /// batch as it is handed off; `finished` receives the report, also after a stop.
    /// An `s3://` archive is staged under `stateDirectory`.
    public func feed(handoff: PostHandoff, logger: Logger, stateDirectory: URL,
                     before: @escaping @Sendable () async throws -> Void = {},
                     onSubmit: (@Sendable ([Post]) -> Void)? = nil,
                     finished: @escaping @Sendable (FeedReport) -> Void) throws -> any Service {
        guard replay.isEmpty else {
            return try replay.feed(rules: rules, handoff: handoff, logger: logger, before: before, onSubmit: onSubmit,
                                   finished: finished)
        }
        return try live.feed(rules: rules, handoff: handoff, logger: logger, stateDirectory: stateDirectory,
                             before: before, finished: finished)
    }
}

extension LiveStreamOptions {
    /// The live stream for `rules` into `handoff` (rules synced, raw lines archived with
    /// `--archive`), until graceful shutdown. With `--archive s3://…` it is a group of
    /// two: the uploader first, so that it stops last and uploads the file the stream
    /// closes when it stops.
    public func feed(rules: RuleOptions, handoff: PostHandoff, logger: Logger, stateDirectory: URL,
                     before: @escaping @Sendable () async throws -> Void = {},
                     finished: @escaping @Sendable (FeedReport) -> Void) throws -> any Service {
        let upload = try archiveUpload(stateDirectory: stateDirectory, logger: logger)
        let live = LiveSource(listener: StreamListener(configuration: try streamConfiguration(rules: rules), logger: logger),
                              token: try bearerToken(), handoff: handoff, archive: try archiveWriter(staging: upload?.0),
                              before: before, finished: { finished(.live($0)) })
        guard let uploader = upload?.1 else { return live }
        return ServiceGroup(configuration: .init(services: [.runsUntilStopped(uploader), .endsRun(live)], logger: logger))
    }
}

extension ReplayOptions {
    /// The archives at `--speed` into `handoff`, matched by `rules`, never faster than the
    /// queue takes them; it ends the run when the files are read. A progress bar shows on
    /// a terminal.
    public func feed(rules: RuleOptions, handoff: PostHandoff, logger: Logger,
                     before: @escaping @Sendable () async throws -> Void = {},
                     onSubmit: (@Sendable ([Post]) -> Void)? = nil,
                     finished: @escaping @Sendable (FeedReport) -> Void) throws -> any Service {
        let bar = ProgressBar.onTerminal(title: "replay")
        let progress: (@Sendable (Replayer.Progress) -> Void)? = bar.map { bar in
            { @Sendable progress in bar.draw(fraction: progress.fraction, detail: progress.summary) }
        }
        return ReplaySource(replayer: replayer(rules: rules), inputs: try inputs(logger: logger), handoff: handoff,
                            progress: progress,
                            onSubmit: onSubmit, before: before,
                            finished: { report in
                                bar?.finish()
                                finished(.replay(report))
                            })
    }
}
