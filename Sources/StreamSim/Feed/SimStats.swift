/// What `GET /sim/stats` reports, so tests can assert on the client's behaviour
/// (e.g. "exactly one stream request", "every post sent").
public struct SimStats: Sendable, Codable, Equatable {
    /// One stream request and how it went.
    public struct Connection: Sendable, Codable, Equatable {
        /// 1-based arrival number.
        public var number: Int
        /// HTTP status returned.
        public var status: Int
        /// The request's query string (without `?`).
        public var query: String
        /// `backfill_minutes` asked for (0 when absent).
        public var backfillMinutes: Int
        /// Whether the body was gzip-compressed.
        public var gzip: Bool
        /// Faults applied to this connection, in spec form.
        public var faults: [String]
        /// Complete post messages written.
        public var postsSent: Int
        /// Heartbeats written.
        public var heartbeatsSent: Int
        /// How the connection ended: `open`, `refused`, `client-closed`, `superseded`,
        /// `fault-disconnect`, `operational-disconnect`, `feed-exhausted`, `server-stopped`.
        public var ended: String
    }

    /// Stream requests received.
    public var streamConnections: Int
    /// Stream responses by status code (as a string key, e.g. `"200"`).
    public var streamStatusCodes: [String: Int]
    /// Complete post messages written, duplicates from backfill included.
    public var postsSent: Int
    /// Distinct feed positions written at least once.
    public var distinctPostsSent: Int
    /// Heartbeats written, all connections.
    public var heartbeatsSent: Int
    /// Requests to the rules endpoint.
    public var ruleRequests: Int
    /// Posts in the archive.
    public var feedPosts: Int
    /// Malformed archive lines skipped at load.
    public var feedMalformedLines: Int
    /// Next feed position to send (positions count passes when looping).
    public var feedCursor: Int
    /// Whether the archive has been sent through (never when looping).
    public var feedExhausted: Bool
    /// Current rules.
    public var rules: [RuleEntry]
    /// Every stream request, oldest first.
    public var connections: [Connection]
}

/// A rule as the API lists it.
public struct RuleEntry: Sendable, Codable, Equatable {
    /// Server-assigned id.
    public var id: String
    /// Rule text.
    public var value: String
    /// Optional tag.
    public var tag: String?

    /// The listing form of `rule`.
    public init(_ rule: FilterRule) {
        id = rule.id
        value = rule.value
        tag = rule.tag
    }
}
