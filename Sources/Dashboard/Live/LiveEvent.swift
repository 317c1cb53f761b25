import Foundation
import PipelineModel
import PipelineModel
import Storage

/// What the dashboard tells open pages: which keywords changed (pages re-fetch what they
/// show), or a keep-alive.
public enum LiveEvent: Sendable, Equatable {
    /// New posts or aggregates for these keywords.
    case change(kind: String, keywords: Set<String>, posts: Int)
    /// Nothing happened; keeps proxies from closing the stream.
    case heartbeat

    /// The event for a store change.
    public init(_ change: StoreChange) {
        switch change {
        case let .posts(posts):
            self = .change(kind: "posts", keywords: Set(posts.flatMap(\.post.keywords)), posts: posts.count)
        case let .aggregates(buckets):
            self = .change(kind: "aggregates", keywords: Set(buckets.map(\.keyword)), posts: 0)
        }
    }

    /// True if a client following `keyword` (nil: all) wants this event.
    public func concerns(_ keyword: String?) -> Bool {
        guard case let .change(_, keywords, _) = self, let keyword else { return true }
        return keywords.contains(keyword)
    }

    /// The event in `text/event-stream` framing. The data is JSON built from escaped
    /// strings, one line, so no field can inject another event.
    public var serverSentEvent: String {
        switch self {
        case let .change(kind, keywords, posts):
            let list = keywords.sorted().map(Self.jsonString).joined(separator: ",")
            return "event: change\ndata: {\"kind\":\(Self.jsonString(kind)),\"keywords\":[\(list)],\"posts\":\(posts)}\n\n"
        case .heartbeat:
            return ": keep-alive\n\n"
        }
    }

    /// A JSON string literal safe for the browser (see `JSONString.Escaping.forBrowsers`):
    /// whatever a keyword contains, the payload stays one line that it can neither break
    /// out of nor visually reorder.
    static func jsonString(_ value: String) -> String {
        JSONString.literal(value, escaping: .forBrowsers)
    }
}
