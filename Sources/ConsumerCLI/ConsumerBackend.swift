import Logging
import PipelineCore

/// The queue and store a consumer process works on.
struct ConsumerBackend {
    var queue: any TweetQueue
    var store: any SentimentStore

    /// Connects to MongoDB and prepares collections and indexes.
    static func open(uri: String, database: String, maxFailures: Int, logger: Logger) async throws -> ConsumerBackend {
        throw BackendUnavailable()
    }
}

/// MongoDB support is not part of this build yet.
struct BackendUnavailable: Error, CustomStringConvertible {
    var description: String { "the MongoDB backend is not available in this build yet" }
}
