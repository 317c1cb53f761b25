import Wiring
import Consumer
import Foundation
import ServiceLifecycle
import Synchronization
import Listener
import Logging
import PipelineModel
import Storage
import Sentiment

/// The pieces of the one-process pipeline: a queue and store (in memory or MongoDB), the
/// listener's hand-off, and — once the engine is loaded — a consumer pool scoring with it.
struct EmbeddedPipeline: Sendable {
    let queue: any TweetQueue
    let store: any SentimentStore
    let handoff: PostHandoff
    private let processing: ProcessingOptions
    private let logger: Logger

    /// The parts that do no work yet (the spill file is only created when a post spills).
    init(processing: ProcessingOptions, spill: URL, queue: any TweetQueue, store: any SentimentStore,
         logger: Logger) throws {
        self.queue = queue
        self.store = store
        self.processing = processing
        self.logger = logger
        let spillFile: SpillFile
        do {
            spillFile = try SpillFile(url: spill, logger: logger)
        } catch {
            throw CommandFailure("cannot use the spill file \(spill.path): \(error)")
        }
        var handoffConfiguration = PostHandoff.Configuration()
        handoffConfiguration.batchSize = processing.batch
        handoff = PostHandoff(queue: queue, spill: spillFile, configuration: handoffConfiguration, logger: logger)
    }

    /// Loads the chosen engine (lexicon files, model): startup work, after the servers bound.
    func loadEngine() throws -> any SentimentEngine {
        try EngineCatalog.make(processing.engineKind, modelPath: processing.model)
    }

    /// A consumer pool scoring with `engine`.
    func consumers(engine: any SentimentEngine) -> ConsumerPool {
        var configuration = ConsumerConfiguration()
        configuration.workers = processing.workers
        configuration.batchSize = processing.batch
        configuration.scoreLanguages = processing.scoredLanguages
        return ConsumerPool(queue: queue, store: store, engine: engine, configuration: configuration, logger: logger)
    }

    /// Waits until everything handed off has been scored and recorded.
    func waitUntilDrained() async throws {
        while true {
            try Task.checkCancellation()
            _ = await handoff.flush(ignoringRetryDelay: true)
            let stats = try await queue.stats()
            if await handoff.isDrained && stats.pending == 0 && stats.leased == 0 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The feed `source` builds (live stream or replay, into the hand-off, reporting to
    /// the closure it is given), as the part that ends the run: it reads to the end (a
    /// replay) or until stopped; after a replay read to the end it waits until every post
    /// is scored, logs the totals, then runs `whenReplayScored`. A stop while the last
    /// posts are being scored ends it at once.
    func feed(command: String, whenReplayScored: @escaping @Sendable () async -> Void = {},
              source: (@escaping @Sendable (FeedReport) -> Void) throws -> any Service) rethrows -> ClosureService {
        let ending = Mutex<FeedReport?>(nil)
        let source = try source { report in ending.withLock { $0 = report } }
        return ClosureService { [self] in
            try await source.run()
            guard let report = ending.withLock({ $0 }) else { return }
            if report.replayCompleted {
                do {
                    try await cancelWhenGracefulShutdown { try await waitUntilDrained() }
                } catch is CancellationError {
                    return  // stopped while the last posts were being scored
                }
            }
            report.log(command: command, handoff: await handoff.totals, logger: logger)
            if report.replayCompleted { await whenReplayScored() }
        }
    }
}
