/// Everything that shapes how the simulator serves; the CLI maps flags onto it and
/// tests build it directly.
public struct StreamSimConfiguration: Sendable {
    /// How fast posts are sent.
    public enum Pacing: Sendable, Equatable {
        /// As fast as the client reads (for benchmarks).
        case max
        /// This many posts per second per connection.
        case postsPerSecond(Double)
    }

    /// What happens at the end of the archive.
    public enum LoopMode: Sendable, Equatable {
        /// Stop sending posts (heartbeats continue), as a quiet real stream would.
        case off
        /// Start over; pass `p ≥ 1` sends every id with the suffix `p` zero-padded to four
        /// digits, so every post stays unique (benchmarks count posts, not duplicates).
        case freshIDs
        /// Start over with the archived ids (the client sees duplicates).
        case sameIDs
    }

    /// When the stream body is gzip-compressed.
    public enum Compression: Sendable, Equatable {
        /// When the request's `Accept-Encoding` lists gzip (the real API's behaviour).
        case auto
        /// Always, regardless of `Accept-Encoding`.
        case always
        /// Never.
        case never
    }

    /// Splitting writes into random pieces so clients meet messages cut anywhere.
    public struct ChunkSplit: Sendable, Equatable {
        /// Seed of the deterministic generator choosing the cut points.
        public var seed: UInt64
        /// Largest piece, in bytes (pieces are 1…maxBytes).
        public var maxBytes: Int

        /// Pieces of 1…`maxBytes` bytes, cut by a generator seeded with `seed`.
        public init(seed: UInt64, maxBytes: Int = 64) {
            self.seed = seed
            self.maxBytes = max(1, maxBytes)
        }
    }

    /// Address to bind (loopback by default).
    public var host = "127.0.0.1"
    /// Port to bind; 0 picks a free one.
    public var port = 0
    /// The accepted bearer token; nil accepts any non-empty token.
    public var bearerToken: String?
    /// Idle time after which a bare `\r\n` keep-alive is sent.
    public var heartbeatInterval: Duration = .seconds(20)
    /// Post rate.
    public var pacing: Pacing = .max
    /// End-of-archive behaviour.
    public var loop: LoopMode = .off
    /// Stream compression.
    public var compression: Compression = .auto
    /// Random splitting of writes, if any.
    public var chunkSplit: ChunkSplit?
    /// Injected failures.
    public var faults: [StreamFault] = []
    /// Rules present at start-up (e.g. for a demo without a rules-syncing client).
    public var initialRules: [RuleBook.Addition] = []
    /// Maximum number of rules.
    public var maxRules = 1000
    /// Maximum rule length in characters.
    public var maxRuleLength = 1024
    /// Finish the response once the archive has been sent through (not the real API's
    /// behaviour — it keeps the stream open — but lets tests read a stream to its end).
    public var endStreamWhenExhausted = false
    /// Most posts put into one write at full speed.
    public var postsPerWrite = 512
    /// Stamp each post's `created_at` with the time it is sent (`--restamp`): a looping
    /// demo then shows "now", never the archive's dates or the same time twice.
    public var restamp = false

    /// The defaults: loopback, free port, 20 s heartbeats, full speed, no faults.
    public init() {}
}

extension StreamSimConfiguration {
    /// Whether an `Authorization` header carries an acceptable app-only bearer token.
    public func accepts(authorization header: String?) -> Bool {
        guard let header, header.hasPrefix("Bearer ") else { return false }
        let token = header.dropFirst("Bearer ".count)
        if let bearerToken { return token == bearerToken }
        return !token.isEmpty
    }
}
