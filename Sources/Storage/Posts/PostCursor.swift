import Foundation

/// Where a page of posts ended: the (timestamp, id) of its last post. The next page holds
/// the posts ordered after it (older, or as old with a smaller id), so posts recorded
/// between two pages — newer ones, as a live stream brings — shift nothing: no post is
/// shown twice or skipped.
public struct PostCursor: Sendable, Hashable, Comparable {
    /// The last post's timestamp.
    public var timestamp: Date
    /// The last post's id.
    public var id: String

    /// The cursor after a post with these keys.
    public init(timestamp: Date, id: String) {
        self.timestamp = timestamp
        self.id = id
    }

    /// Newest-first order: a cursor is "less" when it comes later in a listing.
    public static func < (a: PostCursor, b: PostCursor) -> Bool {
        a.timestamp != b.timestamp ? a.timestamp < b.timestamp : a.id < b.id
    }

    /// Opaque text for URLs: base64url of `v1|seconds|id`. The seconds are written exactly
    /// (Swift's shortest round-trip form of the `Double`), so the cursor names the post's
    /// timestamp to the bit.
    public var encoded: String {
        let raw = "v1|\(timestamp.timeIntervalSince1970)|\(id)"
        return Data(raw.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes `encoded`; nil for anything this type did not write.
    public init?(encoded: String) {
        guard encoded.count <= 400 else { return nil }
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let raw = String(data: data, encoding: .utf8) else { return nil }
        let parts = raw.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let seconds = Double(parts[1]), seconds.isFinite,
              !parts[2].isEmpty else { return nil }
        self.init(timestamp: Date(timeIntervalSince1970: seconds), id: String(parts[2]))
    }
}
