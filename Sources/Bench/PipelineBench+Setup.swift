import Consumer
import Listener
import PipelineModel
import Sentiment
import Storage
import Wiring

extension PipelineBench {
    /// What a run uses, and for each choice whether it is what `pipeline` uses or a flag
    /// changed it — so the figures printed after it say what they measure.
    struct Setup {
        /// The engine (`pipeline`'s default is hybrid: `ProcessingOptions.engine`).
        var engine: EngineKind
        var engineFromFlag: Bool
        /// The consumer pool's configuration: `ConsumerConfiguration()` with workers and
        /// batch as `pipeline` sets them, and the idle back-off from the flags if given.
        var consumer: ConsumerConfiguration
        var backoffFromFlags: Bool
        /// Through the listener's hand-off (`pipeline`'s path), or straight into the queue.
        var throughHandoff: Bool
        var queueCapacity: Int
        var queueCapacityFromFlag: Bool

        /// The line printed before the figures.
        func describe(engine scorer: any SentimentEngine) -> String {
            func origin(_ fromFlag: Bool, _ flag: String) -> String { fromFlag ? flag : "default" }
            let backoff = "\(Self.milliseconds(consumer.idleBackoff)) doubling to \(Self.milliseconds(consumer.maxIdleBackoff))"
            let path = throughHandoff ? "through the hand-off (PostHandoff, spill file in a temporary folder)" : "enqueued directly"
            return "bench pipeline ran: engine \(scorer.name) \(scorer.version) [\(origin(engineFromFlag, "--engine"))];"
                + " consumer idle back-off \(backoff) [\(origin(backoffFromFlags, "--idle-backoff/--max-idle-backoff"))];"
                + " posts \(path) [\(origin(!throughHandoff, "--direct-enqueue"))];"
                + " queue capacity \(queueCapacity) [\(origin(queueCapacityFromFlag, "--queue-capacity"))];"
                + " \(consumer.workers) workers, batch \(consumer.batchSize);"
                + " store retention \(Int(InMemorySentimentStore.Configuration.defaultRetention.inSeconds / 86_400)) days [default]"
        }

        static func milliseconds(_ duration: Duration) -> String {
            let value = duration.inSeconds * 1000
            return value == value.rounded() ? "\(Int(value)) ms" : "\(value) ms"
        }
    }

    /// The setup the flags ask for; a bad flag is one line and a failing exit.
    func resolveSetup() throws -> Setup {
        guard posts > 0, workers > 0, batch > 0, (queueCapacity ?? 1) > 0 else {
            throw Self.failure("--posts, --workers, --batch and --queue-capacity must be positive")
        }
        let kind: EngineKind
        if let engine {
            guard let named = EngineKind(rawValue: engine) else {
                throw Self.failure("--engine \(engine) is not one of \(EngineKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            kind = named
        } else {
            kind = .default
        }
        var consumer = ConsumerConfiguration()
        consumer.workers = workers
        consumer.batchSize = batch
        if let idleBackoff { consumer.idleBackoff = try Self.backoff(idleBackoff, flag: "--idle-backoff") }
        if let maxIdleBackoff { consumer.maxIdleBackoff = try Self.backoff(maxIdleBackoff, flag: "--max-idle-backoff") }
        guard consumer.maxIdleBackoff >= consumer.idleBackoff else {
            throw Self.failure("--max-idle-backoff is shorter than --idle-backoff")
        }
        return Setup(engine: kind, engineFromFlag: engine != nil, consumer: consumer,
                     backoffFromFlags: idleBackoff != nil || maxIdleBackoff != nil, throughHandoff: !directEnqueue,
                     queueCapacity: queueCapacity ?? InMemoryTweetQueue.Configuration().capacity,
                     queueCapacityFromFlag: queueCapacity != nil)
    }

    /// A back-off flag's duration: `DurationText` counts whole milliseconds, so at least 1 ms.
    static func backoff(_ text: String, flag: String) throws -> Duration {
        guard let duration = DurationText.parse(text), duration >= .milliseconds(1) else {
            throw failure("\(flag) \(text) is not a duration of at least 1ms (like 1ms, 5ms, 0.5s)")
        }
        return duration
    }
}
