/// Where objects live: a bucket and a key prefix, written `s3://bucket/prefix`.
public struct ObjectLocation: Sendable, Hashable, CustomStringConvertible {
    /// The bucket.
    public var bucket: String
    /// The key prefix, without a leading slash; empty or ending in `/`.
    public var prefix: String

    /// A location from its parts; a prefix gets its trailing `/`.
    public init(bucket: String, prefix: String = "") {
        self.bucket = bucket
        var trimmed = Substring(prefix)
        while trimmed.first == "/" { trimmed = trimmed.dropFirst() }
        self.prefix = trimmed.isEmpty || trimmed.hasSuffix("/") ? String(trimmed) : trimmed + "/"
    }

    /// Parses `s3://bucket[/prefix]`; nil for anything else, or a bucket name S3 refuses
    /// (3–63 of lowercase letters, digits, `.`, `-`).
    public init?(url: String) {
        guard url.hasPrefix("s3://") else { return nil }
        let rest = url.dropFirst(5)
        let bucket = rest.prefix(while: { $0 != "/" })
        let allowed = bucket.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "." || $0 == "-") }
        guard (3...63).contains(bucket.count), allowed else { return nil }
        self.init(bucket: String(bucket), prefix: String(rest.dropFirst(bucket.count)))
    }

    /// True for a string that means object storage (`s3://…`), valid or not: the flags
    /// use it to tell a bucket from a folder.
    public static func isObjectURL(_ text: String) -> Bool { text.hasPrefix("s3://") }

    /// `s3://bucket/prefix`.
    public var description: String { "s3://\(bucket)/\(prefix)" }
}
