extension StreamFault {
    /// Why a `--fault` spec was rejected.
    public struct SpecError: Error, Sendable, CustomStringConvertible {
        /// One line for the user.
        public var description: String
    }

    /// Parses `KIND[@CONNECTIONS][:PARAM=VALUE,…]`.
    ///
    /// Kinds: `stall` (after, seconds), `disconnect` (after), `operational-disconnect`
    /// (after), `rate-limit` or `429` (reset), `too-many-connections` (reset),
    /// `unavailable` or `503`, `unauthorized` or `401`. Connections: `N`, `N-M`, `N+`
    /// or `*` (default: all).
    public static func parse(_ spec: String) throws(SpecError) -> StreamFault {
        let head: Substring
        let paramText: Substring?
        if let colon = spec.firstIndex(of: ":") {
            head = spec[..<colon]
            paramText = spec[spec.index(after: colon)...]
        } else {
            head = spec[...]
            paramText = nil
        }
        let kindName: Substring
        var connections = ConnectionSelector.all
        if let at = head.firstIndex(of: "@") {
            kindName = head[..<at]
            connections = try selector(String(head[head.index(after: at)...]), spec: spec)
        } else {
            kindName = head
        }
        var params: [String: Double] = [:]
        for pair in paramText?.split(separator: ",") ?? [] {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = Double(parts[1]), value >= 0 else {
                throw SpecError(description: "fault '\(spec)': parameter '\(pair)' is not NAME=NUMBER")
            }
            params[String(parts[0])] = value
        }
        func take(_ name: String, default value: Double) -> Double {
            params.removeValue(forKey: name) ?? value
        }
        let kind: Kind
        switch kindName {
        case "stall":
            kind = .stall(afterPosts: Int(take("after", default: 0)), seconds: take("seconds", default: 30))
        case "disconnect":
            kind = .disconnect(afterPosts: Int(take("after", default: 1)))
        case "operational-disconnect":
            kind = .operationalDisconnect(afterPosts: Int(take("after", default: 1)))
        case "rate-limit", "429":
            kind = .rateLimited(resetSeconds: Int(take("reset", default: 60)))
        case "too-many-connections":
            kind = .tooManyConnections(resetSeconds: Int(take("reset", default: 60)))
        case "unavailable", "503":
            kind = .unavailable
        case "unauthorized", "401":
            kind = .unauthorized
        default:
            throw SpecError(description: "fault '\(spec)': unknown kind '\(kindName)' (see --help)")
        }
        if let unknown = params.keys.sorted().first {
            throw SpecError(description: "fault '\(spec)': '\(kindName)' takes no parameter '\(unknown)'")
        }
        return StreamFault(kind, on: connections)
    }

    private static func selector(_ text: String, spec: String) throws(SpecError) -> ConnectionSelector {
        let bad = SpecError(description: "fault '\(spec)': connections must be N, N-M, N+ or *")
        if text == "*" { return .all }
        if text.hasSuffix("+") {
            guard let first = Int(text.dropLast()), first >= 1 else { throw bad }
            return .from(first)
        }
        let bounds = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(bounds.count), let low = Int(bounds[0]), low >= 1,
              let high = bounds.count == 2 ? Int(bounds[1]) : low, high >= low else { throw bad }
        return .range(low...high)
    }
}
