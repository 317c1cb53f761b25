import Foundation
import PipelineModel

/// The documented reconnection discipline of the filtered stream, as a value-type state
/// machine: the I/O shell reports events with their time and executes the returned
/// action. No clock is read here, so every schedule is testable without waiting.
///
/// - An established connection drops: reconnect at once. If the connection had been
///   healthy (open for `healthyAfter`), every back-off resets first; a connection that
///   drops before that counts as a network failure, so a server that accepts and
///   immediately closes cannot make us hammer it.
/// - A connection attempt fails with a network error: linear back-off, +250 ms per
///   attempt, capped at 16 s.
/// - HTTP error (5xx and other retryable statuses): 5 s, doubling, capped at 320 s.
/// - 429: 60 s, doubling (capped at 15 min); when `x-rate-limit-reset` is given and
///   later than now, wait until then instead.
/// - 401/403 and other client errors (400, 404, 409, …): fatal, no retry, because
///   repeating the same request cannot succeed and only earns a 429.
public struct ReconnectPolicy: Sendable, Hashable {
    /// Tunables; defaults are the documented values.
    public struct Configuration: Sendable, Hashable {
        /// Linear step for network errors.
        public var networkStep: Duration = .milliseconds(250)
        /// Cap for network errors.
        public var networkMaximum: Duration = .seconds(16)
        /// First wait after an HTTP error.
        public var httpInitial: Duration = .seconds(5)
        /// Cap for HTTP errors.
        public var httpMaximum: Duration = .seconds(320)
        /// First wait after a 429.
        public var rateLimitInitial: Duration = .seconds(60)
        /// Cap for 429 without a reset header.
        public var rateLimitMaximum: Duration = .seconds(900)
        /// How long a connection must stay open to count as healthy and reset back-off.
        public var healthyAfter: Duration = .seconds(30)
        /// Whether reconnects ask for `backfill_minutes`.
        public var backfillMinutes: Int = 0

        /// Creates the documented defaults.
        public init() {}
    }

    /// What happened.
    public enum Event: Sendable, Hashable {
        /// The listener starts.
        case start
        /// The server answered 200 and the stream is open.
        case connected(at: Date)
        /// The attempt or the open stream ended.
        case disconnected(DisconnectCause, at: Date)
        /// The user asked to stop.
        case stopRequested
    }

    /// What the shell must do.
    public enum Action: Sendable, Hashable {
        /// Connect after waiting `after` (zero: now). `backfillMinutes` > 0 asks the
        /// server to redeliver recent posts (only on reconnects).
        case connect(after: Duration, backfillMinutes: Int)
        /// Keep reading the open stream.
        case keepReading
        /// Stop for good; `reason` is one sentence for the user, nil for a requested stop.
        case stop(reason: String?)
    }

    /// Where the machine is.
    public enum Phase: Sendable, Hashable {
        case idle
        case connecting
        case established(since: Date)
        case stopped
    }

    /// The tunables.
    public let configuration: Configuration
    /// The current phase.
    public private(set) var phase: Phase = .idle
    /// Consecutive network failures (drives the linear back-off).
    public var networkFailures: Int { network.failures }
    /// Consecutive HTTP failures (drives the exponential back-off).
    public var httpFailures: Int { http.failures }
    /// Consecutive 429s.
    public var rateLimitFailures: Int { rateLimit.failures }
    /// Whether a connection was ever established (reconnects may backfill).
    public private(set) var hasConnected = false

    // One `Backoff` per kind of failure: each grows on its own and all reset together
    // once a connection has proved healthy.
    private var network: Backoff
    private var http: Backoff
    private var rateLimit: Backoff

    /// Creates a policy in the idle phase.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        network = .linear(step: configuration.networkStep, maximum: configuration.networkMaximum)
        http = .doubling(initial: configuration.httpInitial, maximum: configuration.httpMaximum)
        rateLimit = .doubling(initial: configuration.rateLimitInitial, maximum: configuration.rateLimitMaximum)
    }

    /// Feeds an event, returns the action.
    public mutating func event(_ event: Event) -> Action {
        if case .stopped = phase { return .stop(reason: nil) }
        switch event {
        case .start:
            phase = .connecting
            return connect(after: .zero)
        case .stopRequested:
            phase = .stopped
            return .stop(reason: nil)
        case .connected(let at):
            phase = .established(since: at)
            hasConnected = true
            return .keepReading
        case .disconnected(let cause, let at):
            return disconnected(cause, at: at)
        }
    }

    private mutating func disconnected(_ cause: DisconnectCause, at: Date) -> Action {
        let wasEstablished: Date?
        if case .established(let since) = phase { wasEstablished = since } else { wasEstablished = nil }
        phase = .connecting

        if case .http(let status, let reset) = cause {
            return httpFailure(status: status, reset: reset, at: at)
        }
        if let since = wasEstablished {
            if at.timeIntervalSince(since) >= configuration.healthyAfter.inSeconds {
                resetBackoff()
                return connect(after: .zero)
            }
            // Dropped early: the first such drop still reconnects at once, as documented;
            // repeated early drops back off linearly.
            let immediate = networkFailures == 0 && httpFailures == 0 && rateLimitFailures == 0
            let wait = network.next()
            return connect(after: immediate ? .zero : wait)
        }
        return connect(after: network.next())
    }

    private mutating func httpFailure(status: Int, reset: Date?, at: Date) -> Action {
        switch status {
        case 401:
            phase = .stopped
            return .stop(reason: "the bearer token was rejected (HTTP 401): check X_BEARER_TOKEN or --bearer-token-file")
        case 403:
            phase = .stopped
            return .stop(reason: "access to the filtered stream is forbidden for this app (HTTP 403): check its project and access level")
        case 409:
            phase = .stopped
            return .stop(reason: "the stream has no rules (HTTP 409): add at least one --keyword or --rule")
        case 429, 420:
            // The reset time, when the server gives one, beats the schedule; the failure
            // still counts, so a reset-less 429 after it waits longer.
            let scheduled = rateLimit.next()
            if let reset, reset > at {
                return connect(after: .seconds(reset.timeIntervalSince(at).rounded(.up)))
            }
            return connect(after: scheduled)
        case 400..<500 where status != 408:
            phase = .stopped
            return .stop(reason: "the server refused the stream request (HTTP \(status)); retrying cannot help")
        default:
            return connect(after: http.next())
        }
    }

    private mutating func resetBackoff() {
        network.reset()
        http.reset()
        rateLimit.reset()
    }

    private func connect(after wait: Duration) -> Action {
        .connect(after: wait, backfillMinutes: hasConnected ? configuration.backfillMinutes : 0)
    }
}
