import CommandSupport
import Consumer
import Foundation
import Listener
import Logging
import PipelineCore
import Sentiment

/// The pieces of the one-process pipeline on the embedded default: an in-memory queue and
/// store, a consumer pool scoring with the chosen engine, and the listener's hand-off.
struct EmbeddedPipeline {
    let queue: any TweetQueue
    let store: any SentimentStore
    let consumers: ConsumerPool
    let handoff: PostHandoff
    let engine: any SentimentEngine

    init(processing: ProcessingOptions, spillPath: String, queue: any TweetQueue, store: any SentimentStore,
         logger: Logger) throws {
        let kind = EngineCatalog.Kind(rawValue: processing.engine) ?? .hybrid
        engine = try EngineCatalog.make(kind, modelPath: processing.model)
        self.queue = queue
        self.store = store
        var configuration = ConsumerConfiguration()
        configuration.workers = processing.workers
        configuration.batchSize = processing.batch
        consumers = ConsumerPool(queue: queue, store: store, engine: engine, configuration: configuration,
                                 logger: logger)
        let spill: SpillFile
        do {
            spill = try SpillFile(url: URL(fileURLWithPath: spillPath))
        } catch {
            throw CommandFailure("cannot open the spill file \(spillPath)")
        }
        var handoffConfiguration = PostHandoff.Configuration()
        handoffConfiguration.batchSize = processing.batch
        handoff = PostHandoff(queue: queue, spill: spill, configuration: handoffConfiguration, logger: logger)
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
}
