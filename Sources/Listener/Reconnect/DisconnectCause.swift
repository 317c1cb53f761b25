import Foundation

/// Why a connection attempt failed or an established connection ended.
public enum DisconnectCause: Sendable, Hashable {
    /// TCP/TLS/DNS failure, reset, or a body cut off (curl error); carries a short reason.
    case network(String)
    /// The server answered with a non-200 status. `rateLimitReset` is `x-rate-limit-reset`.
    case http(status: Int, rateLimitReset: Date?)
    /// The server ended the response normally.
    case streamEnded
    /// The server sent an operational-disconnect message.
    case operationalDisconnect
    /// No bytes at all (not even a heartbeat) for the stall timeout.
    case stalled

    /// A stable label for metrics and logs.
    public var label: String {
        switch self {
        case .network: "network"
        case .http(let status, _) where status == 429: "rate_limited"
        case .http: "http"
        case .streamEnded: "stream_ended"
        case .operationalDisconnect: "operational_disconnect"
        case .stalled: "stalled"
        }
    }
}
