import Foundation
import Logging
import ObjectStorage
import PipelineModel
import ServiceLifecycle

/// A replay as a part of the service group: reads archive files through the `Replayer`
/// into the hand-off, at the replay's pace and never faster than the queue takes posts
/// (`PostHandoff.submitWhenRoom`). It ends when the files are read — which ends the run —
/// or at graceful shutdown, after handing off what it had read.
public struct ReplaySource: Service {
    private let replayer: Replayer
    private let inputs: @Sendable () async throws -> [ReplayInput]
    private let handoff: PostHandoff
    private let progress: (@Sendable (Replayer.Progress) -> Void)?
    private let onSubmit: (@Sendable ([Post]) -> Void)?
    private let before: @Sendable () async throws -> Void
    private let finished: @Sendable (Replayer.Report) -> Void

    /// A replay of `files` into `handoff`. `before` runs first (wait for a server to
    /// listen, prepare the queue); `onSubmit` sees each batch as it is handed off (latency
    /// probes); `finished` receives the report, also after a stop.
    public init(replayer: Replayer, files: [URL], handoff: PostHandoff,
                progress: (@Sendable (Replayer.Progress) -> Void)? = nil,
                onSubmit: (@Sendable ([Post]) -> Void)? = nil,
                before: @escaping @Sendable () async throws -> Void = {},
                finished: @escaping @Sendable (Replayer.Report) -> Void) {
        self.init(replayer: replayer, inputs: { files.map { .file($0) } }, handoff: handoff, progress: progress,
                  onSubmit: onSubmit, before: before, finished: finished)
    }

    /// A replay of what `inputs` lists when the run starts (the objects of a bucket
    /// prefix, after `before`); a listing that fails is one configuration line.
    public init(replayer: Replayer, inputs: @escaping @Sendable () async throws -> [ReplayInput], handoff: PostHandoff,
                progress: (@Sendable (Replayer.Progress) -> Void)? = nil,
                onSubmit: (@Sendable ([Post]) -> Void)? = nil,
                before: @escaping @Sendable () async throws -> Void = {},
                finished: @escaping @Sendable (Replayer.Report) -> Void) {
        self.replayer = replayer
        self.inputs = inputs
        self.handoff = handoff
        self.progress = progress
        self.onSubmit = onSubmit
        self.before = before
        self.finished = finished
    }

    public func run() async throws {
        try await before()
        let replayer = self.replayer
        let inputs: [ReplayInput]
        do { inputs = try await self.inputs() } catch let error as ObjectStoreError {
            throw ListenerError.configuration("cannot list the replay objects: \(error)")
        }
        let handoff = self.handoff
        let progress = self.progress
        let onSubmit = self.onSubmit
        let report = try await cancelWhenGracefulShutdown {
            try await replayer.run(inputs: inputs, clock: ContinuousClock(),
                                   submit: { posts in
                                       onSubmit?(posts)
                                       await handoff.submitWhenRoom(posts)
                                   }, progress: progress)
        }
        finished(report)
    }
}
