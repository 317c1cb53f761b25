import Foundation

/// What the listener keeps of a response's status line and headers.
public struct HTTPResponseHead: Sendable, Hashable {
    /// The status code of the final response.
    public var status: Int
    /// `x-rate-limit-reset` as a date (the header is epoch seconds).
    public var rateLimitReset: Date?

    /// Creates a head.
    public init(status: Int, rateLimitReset: Date? = nil) {
        self.status = status
        self.rateLimitReset = rateLimitReset
    }

    /// Parses one raw header line into `into`; status lines restart the head, because
    /// libcurl reports every response (an interim `100 Continue`, redirects) in turn.
    static func parse(headerLine: String, into head: inout HTTPResponseHead) {
        if headerLine.hasPrefix("HTTP/") {
            let parts = headerLine.split(separator: " ", maxSplits: 2)
            head = HTTPResponseHead(status: parts.count > 1 ? Int(parts[1]) ?? 0 : 0)
            return
        }
        guard let colon = headerLine.firstIndex(of: ":") else { return }
        let name = headerLine[..<colon].lowercased()
        let value = headerLine[headerLine.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        if name == "x-rate-limit-reset", let epoch = Double(value) {
            head.rateLimitReset = Date(timeIntervalSince1970: epoch)
        }
    }
}
