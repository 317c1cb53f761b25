/// A failure the simulator injects into some stream connections, written on the command
/// line as `KIND[@CONNECTIONS][:PARAM=VALUE,…]`, e.g. `disconnect@1:after=100`.
///
/// Connections are the stream requests (`GET /2/tweets/search/stream`) numbered from 1
/// in arrival order, refused ones included.
public struct StreamFault: Sendable, Equatable, CustomStringConvertible {
    /// What goes wrong.
    public enum Kind: Sendable, Equatable {
        /// After `afterPosts` posts, send nothing (not even heartbeats) for `seconds`.
        case stall(afterPosts: Int, seconds: Double)
        /// After `afterPosts` posts, write half of the next message and drop the connection.
        case disconnect(afterPosts: Int)
        /// After `afterPosts` posts, send an `operational-disconnect` error and end the stream.
        case operationalDisconnect(afterPosts: Int)
        /// Refuse with 429 Too Many Requests and `x-rate-limit-reset` = now + `resetSeconds`.
        case rateLimited(resetSeconds: Int)
        /// Refuse with 429 and a `connection_issue: TooManyConnections` body.
        case tooManyConnections(resetSeconds: Int)
        /// Refuse with 503 Service Unavailable.
        case unavailable
        /// Refuse with 401 Unauthorized, whatever the token.
        case unauthorized
    }

    /// What goes wrong.
    public var kind: Kind
    /// Which stream connections it applies to.
    public var connections: ConnectionSelector

    /// A fault of `kind` on `connections`.
    public init(_ kind: Kind, on connections: ConnectionSelector = .all) {
        self.kind = kind
        self.connections = connections
    }

    /// Whether the fault refuses the connection before any stream data.
    public var isRefusal: Bool {
        switch kind {
        case .rateLimited, .tooManyConnections, .unavailable, .unauthorized: true
        case .stall, .disconnect, .operationalDisconnect: false
        }
    }

    /// Posts sent on the connection before a mid-stream fault fires (nil for refusals).
    public var afterPosts: Int? {
        switch kind {
        case .stall(let after, _), .disconnect(let after), .operationalDisconnect(let after): after
        default: nil
        }
    }

    /// The spec form, as accepted by `parse`.
    public var description: String {
        let target = connections.description
        switch kind {
        case .stall(let after, let seconds): return "stall@\(target):after=\(after),seconds=\(seconds)"
        case .disconnect(let after): return "disconnect@\(target):after=\(after)"
        case .operationalDisconnect(let after): return "operational-disconnect@\(target):after=\(after)"
        case .rateLimited(let reset): return "rate-limit@\(target):reset=\(reset)"
        case .tooManyConnections(let reset): return "too-many-connections@\(target):reset=\(reset)"
        case .unavailable: return "unavailable@\(target)"
        case .unauthorized: return "unauthorized@\(target)"
        }
    }
}

/// The stream connections (numbered from 1) a fault applies to.
public enum ConnectionSelector: Sendable, Equatable, CustomStringConvertible {
    /// Every connection.
    case all
    /// Connections `lowerBound...upperBound`.
    case range(ClosedRange<Int>)
    /// Connection `n` and every later one.
    case from(Int)

    /// Whether connection `number` is selected.
    public func contains(_ number: Int) -> Bool {
        switch self {
        case .all: true
        case .range(let range): range.contains(number)
        case .from(let first): number >= first
        }
    }

    public var description: String {
        switch self {
        case .all: "*"
        case .range(let range): range.count == 1 ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
        case .from(let first): "\(first)+"
        }
    }
}
