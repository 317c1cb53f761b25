/// A failure of an object-store request, as one line that names the bucket and never a
/// credential. `isTransient` tells a retry loop whether waiting can help.
public struct ObjectStoreError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable {
        case configuration(String)
        case unreachable(String)
        case denied(bucket: String, code: String)
        case noSuchBucket(String)
        case server(bucket: String, status: Int, code: String)
        case verification(String)
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    /// A setting is missing or malformed.
    public static func configuration(_ message: String) -> ObjectStoreError { .init(.configuration(message)) }
    /// No answer: connection refused, timed out, reset.
    static func unreachable(_ detail: String) -> ObjectStoreError { .init(.unreachable(detail)) }
    /// The store refused the credentials or the request's signature.
    static func denied(bucket: String, code: String) -> ObjectStoreError { .init(.denied(bucket: bucket, code: code)) }
    /// The bucket does not exist.
    static func noSuchBucket(_ bucket: String) -> ObjectStoreError { .init(.noSuchBucket(bucket)) }
    /// Any other error status.
    static func server(bucket: String, status: Int, code: String) -> ObjectStoreError {
        .init(.server(bucket: bucket, status: status, code: code))
    }
    /// What the store holds is not what was sent.
    static func verification(_ detail: String) -> ObjectStoreError { .init(.verification(detail)) }

    /// True when a later attempt may succeed without anyone changing anything: no answer,
    /// a 5xx, throttling, or a failed verification (the upload is simply sent again).
    public var isTransient: Bool {
        switch kind {
        case .unreachable, .verification: true
        case .server(_, let status, _): status >= 500 || status == 429 || status == 408
        case .configuration, .denied, .noSuchBucket: false
        }
    }

    /// True when the store says the body does not match the digests sent with it (or the
    /// ETag does not): digests computed elsewhere were wrong, the file must be hashed again.
    public var isDigestMismatch: Bool {
        switch kind {
        case .verification: true
        case .server(_, 400, let code): ["BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch"].contains(code)
        default: false
        }
    }

    /// True when the store rejected the credentials.
    public var isAccessDenied: Bool {
        if case .denied = kind { return true }
        return false
    }

    public var description: String {
        switch kind {
        case .configuration(let message): message
        case .unreachable(let detail): "the object store is unreachable: \(detail)"
        case .denied(let bucket, let code):
            "access to bucket \(bucket) was denied (\(code)): check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY and the bucket's policy"
        case .noSuchBucket(let bucket): "bucket \(bucket) does not exist"
        case .server(let bucket, let status, let code): "bucket \(bucket): the object store answered \(status) \(code)"
        case .verification(let detail): "upload not verified: \(detail)"
        }
    }
}
