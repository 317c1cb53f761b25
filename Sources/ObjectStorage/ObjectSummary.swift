import Foundation

/// One object of a listing: its key and size.
public struct ObjectSummary: Sendable, Hashable {
    /// The full key.
    public var key: String
    /// Size in bytes.
    public var size: Int64
    /// The ETag as listed (quotes removed).
    public var etag: String

    /// A summary from its parts.
    public init(key: String, size: Int64, etag: String = "") {
        self.key = key
        self.size = size
        self.etag = etag
    }
}

/// One page of ListObjectsV2.
struct ListObjectsPage: Sendable {
    var objects: [ObjectSummary]
    /// Where the next page starts; nil on the last page.
    var continuationToken: String?

    /// Reads a `ListBucketResult` document.
    init(document: [UInt8]) {
        objects = XMLText.blocks("Contents", in: document).map { block in
            ObjectSummary(key: XMLText.first("Key", in: block) ?? "",
                          size: Int64(XMLText.first("Size", in: block) ?? "") ?? 0,
                          etag: (XMLText.first("ETag", in: block) ?? "").replacingOccurrences(of: "\"", with: ""))
        }
        let truncated = XMLText.first("IsTruncated", in: document) == "true"
        continuationToken = truncated ? XMLText.first("NextContinuationToken", in: document) : nil
    }
}
