import Foundation
import HTTPServing
import Prometheus

/// Everything the dashboard app needs besides its store; the CLI maps flags and the
/// environment onto it.
public struct DashboardConfiguration: Sendable {
    /// Interface to bind.
    public var host: String
    /// Port to bind (0 picks a free one).
    public var port: Int
    /// Access token (`DASHBOARD_TOKEN`). When set, every route but `/healthz` needs it as
    /// `Authorization: Bearer …`, as the password of basic auth, as the `dashboard_token`
    /// cookie, or once as `?token=` (which sets the cookie). Required off loopback; it must
    /// pass `AccessTokenPolicy` wherever it is set.
    public var accessToken: String?
    /// "Now" for windows ending at the present.
    public var now: @Sendable () -> Date
    /// Events buffered per SSE client before the oldest are dropped (a slow client
    /// only misses refresh hints, never blocks the others).
    public var clientBufferSize: Int
    /// Seconds between SSE keep-alive comments.
    public var heartbeatInterval: Duration
    /// Where request and SSE metrics are registered and `/metrics` reads from.
    public var metrics: PrometheusCollectorRegistry
    /// Enables `POST /test/posts` (records posts given as JSON) for end-to-end tests.
    public var enableTestEndpoints: Bool
    /// How long `/healthz` waits for the store's ping before it answers 503: a load
    /// balancer's probe must get an answer even when the server hangs.
    public var healthTimeout: Duration
    /// Names the category of a store failure for `/healthz` ("MongoDB unreachable").
    /// It must never return the error's message: that may carry hosts or credentials.
    public var storeFailureReason: @Sendable (any Error) -> String
    /// Idle timeout, header timeout and connection cap of the HTTP server: a flood of idle
    /// or half-sent connections must not starve `/healthz`. SSE streams are requests in
    /// progress and never cut by the idle timeout.
    public var connectionLimits: ConnectionLimits
    /// Posts a bucket needs before its mean sentiment is drawn: a mean of two posts is
    /// noise that looks like a swing (`--min-sentiment-posts`).
    public var minimumSentimentPosts: Int

    /// The default of `minimumSentimentPosts`.
    public static let defaultMinimumSentimentPosts = 5

    /// A configuration with defaults: loopback, port 8080, no token, wall clock.
    public init(host: String = "127.0.0.1", port: Int = 8080, accessToken: String? = nil,
                now: @escaping @Sendable () -> Date = { Date() }, clientBufferSize: Int = 16,
                heartbeatInterval: Duration = .seconds(15),
                metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
                enableTestEndpoints: Bool = false, healthTimeout: Duration = .seconds(2),
                storeFailureReason: @escaping @Sendable (any Error) -> String = { _ in "store unavailable" },
                connectionLimits: ConnectionLimits = ConnectionLimits(),
                minimumSentimentPosts: Int = DashboardConfiguration.defaultMinimumSentimentPosts) {
        self.host = host
        self.port = port
        self.accessToken = accessToken
        self.now = now
        self.clientBufferSize = clientBufferSize
        self.heartbeatInterval = heartbeatInterval
        self.metrics = metrics
        self.enableTestEndpoints = enableTestEndpoints
        self.healthTimeout = healthTimeout
        self.storeFailureReason = storeFailureReason
        self.connectionLimits = connectionLimits
        self.minimumSentimentPosts = minimumSentimentPosts
    }

    /// True for addresses that only this machine can reach.
    public var bindsLoopback: Bool {
        let h = host.lowercased()
        return h == "localhost" || h == "::1" || h == "[::1]" || h.hasPrefix("127.")
    }

    /// Refuses settings that would expose the dashboard unprotected.
    public func validate() throws(DashboardConfigurationError) {
        if let problem = connectionLimits.problem { throw .badConnectionLimits(problem) }
        if enableTestEndpoints && !bindsLoopback { throw .testEndpointsOffLoopback(host: host) }
        // An empty token means none (the app then installs no token check).
        if let token = accessToken, !token.isEmpty, let problem = AccessTokenPolicy.problem(with: token) {
            throw .rejectedToken(problem)
        }
        if !bindsLoopback && (accessToken ?? "").isEmpty {
            throw .tokenRequired(host: host)
        }
        if !(0...65535).contains(port) { throw .badPort(port) }
        if minimumSentimentPosts < 1 { throw .badMinimumSentimentPosts(minimumSentimentPosts) }
    }
}

/// A configuration the dashboard refuses to start with.
public struct DashboardConfigurationError: Error, CustomStringConvertible, Equatable {
    private enum Reason: Equatable {
        case tokenRequired(String)
        case rejectedToken(String)
        case badPort(Int)
        case testEndpointsOffLoopback(String)
        case badConnectionLimits(String)
        case badMinimumSentimentPosts(Int)
    }

    private let reason: Reason

    /// Binding off loopback without `DASHBOARD_TOKEN`.
    public static func tokenRequired(host: String) -> Self { .init(reason: .tokenRequired(host)) }
    /// A token `AccessTokenPolicy` refuses, with its reason ("is a placeholder").
    public static func rejectedToken(_ problem: String) -> Self { .init(reason: .rejectedToken(problem)) }
    /// A port outside 0…65535.
    public static func badPort(_ port: Int) -> Self { .init(reason: .badPort(port)) }
    /// Connection limits that cannot work (a zero timeout, no connections).
    public static func badConnectionLimits(_ problem: String) -> Self { .init(reason: .badConnectionLimits(problem)) }
    /// A minimum below one post.
    public static func badMinimumSentimentPosts(_ value: Int) -> Self { .init(reason: .badMinimumSentimentPosts(value)) }
    /// `POST /test/posts` enabled on a host other machines can reach.
    public static func testEndpointsOffLoopback(host: String) -> Self { .init(reason: .testEndpointsOffLoopback(host)) }

    public var description: String {
        switch reason {
        case let .tokenRequired(host):
            "refusing to serve on non-loopback host \(host) without an access token: set DASHBOARD_TOKEN"
        case let .rejectedToken(problem):
            // Never the token itself: the line ends up in logs.
            "DASHBOARD_TOKEN \(problem); \(AccessTokenPolicy.hint)"
        case let .badPort(port):
            "port \(port) is out of range 0-65535"
        case let .badConnectionLimits(problem):
            problem
        case let .badMinimumSentimentPosts(value):
            "--min-sentiment-posts must be at least 1, not \(value)"
        case let .testEndpointsOffLoopback(host):
            "refusing test endpoints on non-loopback host \(host): --enable-test-endpoints is for tests on 127.0.0.1"
        }
    }
}
