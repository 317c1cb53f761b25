import Foundation
import Logging
import Metrics
import PipelineModel

/// The live listener: syncs rules, then keeps one stream connection open, following
/// `ReconnectPolicy`. The read loop frames, decodes, dedupes and archives; posts go to
/// the `PostHandoff` and never wait for the queue here.
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
    /// `ListenerError` with one sentence for the user).
    public func run(token: BearerToken, handoff: PostHandoff, archive: ArchiveWriter?) async throws -> Report {
        if let warning = BearerToken.clearTextWarning(apiBase: configuration.apiBase) { logger.warning("\(warning)") }
        let rulesClient = RulesClient(apiBase: configuration.apiBase, http: HTTPClient(token: token),
                                      namespace: configuration.namespace, logger: logger)
        let book = try await rulesClient.sync(desired: configuration.desiredRules)
        var processor = MessageProcessor(rules: book)
        var policy = ReconnectPolicy(configuration: configuration.reconnect)
        var action = policy.event(.start)
        var connections = 0
        let backoffGauge = Gauge(label: "listener_backoff_seconds")
        let bytesCounter = Counter(label: "listener_bytes_received_total")

        while true {
            switch action {
            case .keepReading:
                action = policy.event(.disconnected(.streamEnded, at: Date()))
            case .stop(let reason):
                if let reason { throw ListenerError.fatal(reason) }
                return Report(counts: processor.counts, connections: connections)
            case .connect(let scheduled, let backfill):
                let wait = configuration.backoffScale == 1 ? scheduled : scheduled * configuration.backoffScale
                backoffGauge.record(wait.inSeconds)
                if wait > .zero {
                    logger.info("reconnecting after back-off", metadata: ["wait_s": "\(wait.inSeconds)"])
                    do { try await Task.sleep(for: wait) } catch {
                        action = policy.event(.stopRequested)
                        continue
                    }
                }
                if Task.isCancelled { action = policy.event(.stopRequested); continue }
                connections += 1
                let connection = StreamConnection(configuration: .init(
                    url: configuration.streamURL(backfillMinutes: backfill), token: token,
                    stallTimeout: configuration.stallTimeout))
                var framer = LineFramer(maximumLineLength: configuration.maximumLineLength)
                var ended: DisconnectCause?
                var errorBody = ""
                var operationalDisconnect = false
                await withTaskCancellationHandler {
                    for await event in connection.events {
                        switch event {
                        case .head(let head):
                            if head.status == 200 {
                                action = policy.event(.connected(at: Date()))
                                logger.info("stream connected", metadata: ["backfill_minutes": "\(backfill)"])
                            }
                        case .bytes(let bytes):
                            bytesCounter.increment(by: bytes.count)
                            let now = Date()
                            var posts: [Post] = []
                            bytes.withUnsafeBytes { raw in
                                framer.append(raw) { frame in
                                    if case .line(let line) = frame, let archive {
                                        do { try archive.write(line, receivedAt: now) } catch {
                                            logger.error("archive write failed", metadata: ["error": "\(error)"])
                                        }
                                    }
                                    switch processor.process(frame, receivedAt: now) {
                                    case .posts(let fresh): posts += fresh
                                    case .operationalDisconnect(let errors):
                                        operationalDisconnect = true
                                        logger.warning("operational disconnect", metadata: [
                                            "detail": "\(errors.first?.detail ?? errors.first?.title ?? "")",
                                        ])
                                    case .streamError(let errors):
                                        logger.warning("stream error message", metadata: [
                                            "title": "\(errors.first?.title ?? "")", "detail": "\(errors.first?.detail ?? "")",
                                        ])
                                    case .nothing: break
                                    }
                                }
                            }
                            if !posts.isEmpty { await handoff.submit(posts) }
                            // Only now (posts handed off or spilled) may libcurl read on.
                            connection.consumed(bytes.count)
                            if operationalDisconnect { connection.cancel() }
                        case .ended(let cause, let body):
                            ended = cause
                            errorBody = body
                        }
                    }
                } onCancel: {
                    connection.cancel()
                }
                if framer.finish() != nil { processor.countTruncated() }
                if Task.isCancelled {
                    action = policy.event(.stopRequested)
                    continue
                }
                let cause = operationalDisconnect ? .operationalDisconnect : (ended ?? .streamEnded)
                Counter(label: "listener_reconnects_total", dimensions: [("cause", cause.label)]).increment()
                var metadata: Logger.Metadata = ["cause": "\(cause.label)"]
                if case .http(let status, _) = cause {
                    metadata["status"] = "\(status)"
                    if !errorBody.isEmpty { metadata["body"] = "\(errorBody.prefix(300))" }
                }
                if case .network(let reason) = cause { metadata["reason"] = "\(reason)" }
                logger.warning("stream disconnected", metadata: metadata)
                action = policy.event(.disconnected(cause, at: Date()))
            }
        }
    }
}
