import Foundation

/// How a consumer pool runs; every field has a production default.
public struct ConsumerConfiguration: Sendable {
    /// Concurrent workers.
    public var workers: Int
    /// Posts claimed, scored and recorded together.
    public var batchSize: Int
    /// How long a claimed batch stays invisible to other workers. Must comfortably exceed
    /// the time to score and record a batch, or batches get processed twice (harmless for
    /// the counts, wasteful for the machine).
    public var lease: Duration
    /// Wait after the first empty claim; doubled on each further empty claim.
    public var idleBackoff: Duration
    /// Longest wait between claims of an idle queue.
    public var maxIdleBackoff: Duration
    /// Wait after an error of the queue or store before trying again.
    public var errorBackoff: Duration
    /// How often queue statistics (lag, pending, dead letters) are sampled for metrics.
    public var statsInterval: Duration
    /// Prefix of worker names in leases and logs (the worker number is appended).
    public var workerName: String
    /// Languages scored (`lang` tags); posts in others are recorded `unscored`. Nil: the
    /// engine's languages plus `und` (see `LanguageGate.init(defaultFor:)`).
    public var scoreLanguages: [String]?

    public init(workers: Int = 2, batchSize: Int = 500, lease: Duration = .seconds(60),
                idleBackoff: Duration = .milliseconds(5), maxIdleBackoff: Duration = .milliseconds(500),
                errorBackoff: Duration = .seconds(1), statsInterval: Duration = .seconds(5),
                workerName: String = ConsumerConfiguration.defaultWorkerName, scoreLanguages: [String]? = nil) {
        precondition(workers > 0 && batchSize > 0, "a consumer needs at least one worker and a batch of one")
        self.workers = workers
        self.batchSize = batchSize
        self.lease = lease
        self.idleBackoff = idleBackoff
        self.maxIdleBackoff = maxIdleBackoff
        self.errorBackoff = errorBackoff
        self.statsInterval = statsInterval
        self.workerName = workerName
        self.scoreLanguages = scoreLanguages
    }

    /// `host:pid`, unique per process on a cluster.
    public static var defaultWorkerName: String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }
}
