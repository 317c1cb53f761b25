import Foundation
import Logging
import PipelineModel

/// The live listener: syncs rules, then keeps one stream connection open, following
/// `ReconnectPolicy` (`run`, the connection loop). Each connection is followed by
/// `follow(_:…)` (StreamListener+Connection.swift), whose `ConnectionReader` frames,
/// archives and decodes; posts go to the `PostHandoff` and never wait for the queue here.
public struct StreamListener: Sendable {
    /// Everything the listener needs, with defaults.
    public struct Configuration: Sendable {
        /// API base URL (`https://api.x.com`, or a simulator).
        public var apiBase = "https://api.x.com"
        /// Rules to keep on the server.
        public var desiredRules: [DesiredRule] = []
        /// Owner tag prefix of our rules.
        public var namespace = RuleNamespace()
        /// Silence that counts as a stall.
        public var stallTimeout: Duration = .seconds(20)
        /// Back-off tunables (includes `backfillMinutes`).
        public var reconnect = ReconnectPolicy.Configuration()
        /// Longest message accepted.
        public var maximumLineLength = 1 << 20
        /// Multiplies every back-off wait (the schedule itself is `reconnect`'s). 1 keeps
        /// the documented waits; only tests shrink it, so a 503 (5 s) or a 429 (60 s, or
        /// until the reset time) costs milliseconds there.
        public var backoffScale = 1.0

        /// Creates the defaults.
        public init() {}

        /// The stream URL, asking for the fields the pipeline uses.
        public func streamURL(backfillMinutes: Int) -> String {
            let base = apiBase.hasSuffix("/") ? String(apiBase.dropLast()) : apiBase
            var url = base + "/2/tweets/search/stream?tweet.fields=created_at,lang,author_id"
                + "&expansions=author_id&user.fields=username"
            if backfillMinutes > 0 { url += "&backfill_minutes=\(min(backfillMinutes, 5))" }
            return url
        }
    }

    /// What a run did (returned on a requested stop).
    public struct Report: Sendable {
        /// Frame and post counts.
        public var counts: MessageProcessor.Counts
        /// Connections opened (attempts).
        public var connections: Int
    }

    /// Settings.
    public var configuration: Configuration
    /// Where logs go.
    public var logger: Logger

    /// Creates a listener.
    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs until the task is cancelled (returns a report) or a fatal error (throws
    /// `ListenerError` with one sentence for the user): syncs the rules, then follows the
    /// stream connection after connection, as `ReconnectPolicy` says.
    public func run(token: BearerToken, handoff: PostHandoff, archive: ArchiveWriter?) async throws -> Report {
        if let warning = BearerToken.clearTextWarning(apiBase: configuration.apiBase) { logger.warning("\(warning)") }
        let rulesClient = RulesClient(apiBase: configuration.apiBase, http: HTTPClient(token: token),
                                      namespace: configuration.namespace, logger: logger)
        var processor = MessageProcessor(rules: try await rulesClient.sync(desired: configuration.desiredRules))
        var policy = ReconnectPolicy(configuration: configuration.reconnect)
        var action = policy.event(.start)
        var connections = 0
        let metrics = StreamMetrics()
        while true {
            switch action {
            case .keepReading:
                action = policy.event(.disconnected(.streamEnded, at: Date()))
            case .stop(let reason):
                if let reason { throw ListenerError.fatal(reason) }
                return Report(counts: processor.counts, connections: connections)
            case .connect(let scheduled, let backfill):
                guard await waitToConnect(scheduled, metrics: metrics), !Task.isCancelled else {
                    action = policy.event(.stopRequested)
                    continue
                }
                connections += 1
                let end = await follow(connection(token: token, backfillMinutes: backfill), backfillMinutes: backfill,
                                       processor: &processor, handoff: handoff, archive: archive, metrics: metrics)
                if let connectedAt = end.connectedAt { _ = policy.event(.connected(at: connectedAt)) }
                if Task.isCancelled {
                    action = policy.event(.stopRequested)
                    continue
                }
                log(end, metrics: metrics)
                action = policy.event(.disconnected(end.cause, at: Date()))
            }
        }
    }

    /// Sleeps the back-off `scheduled` (times `backoffScale`); false when cancelled meanwhile.
    private func waitToConnect(_ scheduled: Duration, metrics: StreamMetrics) async -> Bool {
        let wait = configuration.backoffScale == 1 ? scheduled : scheduled * configuration.backoffScale
        metrics.backoff.record(wait.inSeconds)
        guard wait > .zero else { return true }
        logger.info("reconnecting after back-off", metadata: ["wait_s": "\(wait.inSeconds)"])
        do { try await Task.sleep(for: wait) } catch { return false }
        return true
    }

    /// A new connection to the stream (it starts connecting at once).
    private func connection(token: BearerToken, backfillMinutes: Int) -> StreamConnection {
        StreamConnection(configuration: .init(url: configuration.streamURL(backfillMinutes: backfillMinutes), token: token,
                                              stallTimeout: configuration.stallTimeout))
    }

    /// Logs and counts how a connection ended.
    private func log(_ end: ConnectionEnd, metrics: StreamMetrics) {
        metrics.reconnected(after: end.cause)
        var metadata: Logger.Metadata = ["cause": "\(end.cause.label)"]
        if case .http(let status, _) = end.cause {
            metadata["status"] = "\(status)"
            if !end.errorBody.isEmpty { metadata["body"] = "\(end.errorBody.prefix(300))" }
        }
        if case .network(let reason) = end.cause { metadata["reason"] = "\(reason)" }
        logger.warning("stream disconnected", metadata: metadata)
    }
}
