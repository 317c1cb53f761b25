import Hummingbird

/// Guards a dashboard bound to loopback against DNS rebinding: a web page on another
/// site can point its own host name at 127.0.0.1 and then read the dashboard as if it
/// were same-origin, but its requests still carry that foreign name in `Host`. Only
/// loopback names and addresses (any port) are served; others get 421 Misdirected
/// Request. Off loopback the access token protects the dashboard instead.
struct LoopbackHostMiddleware: RouterMiddleware {
    typealias Context = DashboardRequestContext

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        // HTTP/1.1 `Host` arrives as the authority; a request without one (HTTP/1.0 from a
        // local tool) carries no name a browser could have been tricked into using.
        if let authority = request.head.authority, !Self.isLoopback(authority: authority) {
            throw HTTPError(.misdirectedRequest,
                            message: "this dashboard answers only to localhost, 127.0.0.1 or [::1]")
        }
        return try await next(request, context)
    }

    /// Whether `authority` (`host[:port]`) names this machine: `localhost` and its
    /// subdomains (RFC 6761), 127.0.0.0/8, or `[::1]`.
    static func isLoopback(authority: String) -> Bool {
        var host = Substring(authority.lowercased())
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            let rest = host[host.index(after: close)...]
            guard rest.isEmpty || Self.isPort(rest) else { return false }
            return host[host.index(after: host.startIndex)..<close] == "::1"
        }
        if let colon = host.lastIndex(of: ":") {
            guard Self.isPort(host[colon...]) else { return false }
            host = host[..<colon]
        }
        if host.hasSuffix(".") { host = host.dropLast() }
        if host == "localhost" || host.hasSuffix(".localhost") { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127"
            && octets.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && UInt8($0) != nil }
    }

    /// `:` followed by 1–5 digits.
    private static func isPort(_ text: Substring) -> Bool {
        let digits = text.dropFirst()
        return text.first == ":" && (1...5).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
