import Hummingbird
import HummingbirdCore
import Logging

/// How long and how many connections an HTTP server keeps, so a flood of idle or
/// half-sent requests cannot starve `/healthz` (issue 14 row 2). Every server we run
/// builds its HTTP/1 channel through `server(logger:)`.
///
/// - An idle keep-alive connection (no request in progress) is closed after `idleTimeout`.
///   A request in progress is never cut by it: SSE streams stay open.
/// - A request head must be complete `headerTimeout` after its first byte, else the
///   connection is closed (slow-header attacks).
/// - At most `maxConnections` are open at once. Past it the longest-idle connection is
///   closed to make room; when none is idle the newcomer gets `503` and is closed. Keep it
///   well below the process's file-descriptor limit: past that limit nothing is accepted.
public struct ConnectionLimits: Sendable, Equatable {
    /// Time an open connection may sit without a request in progress.
    public var idleTimeout: Duration
    /// Time from a request's first byte to the end of its head.
    public var headerTimeout: Duration
    /// Connections open at once, at least 1.
    public var maxConnections: Int

    /// Limits with the defaults documented in docs/security.md.
    public init(idleTimeout: Duration = .seconds(60), headerTimeout: Duration = .seconds(10),
                maxConnections: Int = 512) {
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.maxConnections = maxConnections
    }

    /// The reason these limits cannot work ("idle timeout must be positive"), or nil.
    public var problem: String? {
        if idleTimeout <= .zero { return "idle timeout must be positive" }
        if headerTimeout <= .zero { return "header timeout must be positive" }
        if maxConnections < 1 { return "max connections must be at least 1" }
        return nil
    }

    /// An HTTP/1.1 server enforcing these limits, for `Application(router:server:…)`.
    public func server(logger: Logger) -> HTTPServerBuilder {
        let limits = self
        let table = ConnectionTable(capacity: max(1, maxConnections), logger: logger)
        return HTTPServerBuilder { responder in
            GuardedHTTP1Channel(responder: responder, limits: limits, table: table)
        }
    }
}
