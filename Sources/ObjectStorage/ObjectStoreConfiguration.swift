import Foundation

/// How to reach an S3-compatible object store: endpoint, region, credentials, addressing,
/// and the upload tunables. Built from the environment variables the AWS tools read
/// (`fromEnvironment`), so MinIO, Ceph, R2 or GCS interoperability need no flags.
public struct ObjectStoreConfiguration: Sendable {
    /// The service endpoint (scheme, host, port), e.g. `http://127.0.0.1:9000`; nil means
    /// AWS's regional endpoint.
    public var endpoint: URL?
    /// The signing region.
    public var region: String
    /// The signing credentials.
    public var credentials: ObjectStoreCredentials
    /// `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key`. MinIO and
    /// most self-hosted stores want it; AWS prefers virtual-hosted names.
    public var pathStyle: Bool
    /// Files larger than this go up in parts. Above a rotated archive file (64 MiB of raw
    /// lines): such a file goes in one streamed PUT, since assembling parts is work of
    /// the store's own — against the test server 8 MiB parts were slower than one PUT
    /// (`bench archive --multipart-mib 16`, docs/benchmarks.md) — and a failed upload is
    /// sent again whole either way. AWS's advice is parts from about 100 MB on.
    public var multipartThreshold = 100 << 20
    /// Size of each part but the last (S3's floor is 5 MiB).
    public var partSize = 8 << 20
    /// Parts of one upload sent at once: one part's hashing and the store's work on
    /// another overlap, where one after another each waited for the other. Parts are read
    /// from the file as they are sent, so this costs connections, not memory.
    public var partsInFlight = 4
    /// Time allowed to connect.
    public var connectTimeout: Duration = .seconds(5)
    /// A transfer slower than 1 byte/s for this long is abandoned (a dead server, not a
    /// slow one: a whole request has no time limit, because parts may be large).
    public var stallTimeout: Duration = .seconds(30)

    /// A configuration from its parts.
    public init(endpoint: URL?, region: String, credentials: ObjectStoreCredentials, pathStyle: Bool) {
        self.endpoint = endpoint
        self.region = region
        self.credentials = credentials
        self.pathStyle = pathStyle
    }

    /// The environment variables `fromEnvironment` reads, for documentation and checks.
    public static let environmentVariables = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_S3_ADDRESSING_STYLE"]

    /// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
    /// `AWS_REGION` (else `AWS_DEFAULT_REGION`, else us-east-1), `AWS_ENDPOINT_URL_S3`
    /// (else `AWS_ENDPOINT_URL`) and `AWS_S3_ADDRESSING_STYLE` (`path` or `virtual`;
    /// default: path with a custom endpoint, virtual on AWS). Throws a one-line error
    /// naming what is missing, never a value.
    public static func fromEnvironment(_ environment: [String: String]) throws -> ObjectStoreConfiguration {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let key = value("AWS_ACCESS_KEY_ID"), let secret = value("AWS_SECRET_ACCESS_KEY") else {
            throw ObjectStoreError.configuration("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set to use object storage")
        }
        var endpoint: URL?
        if let text = value("AWS_ENDPOINT_URL_S3") ?? value("AWS_ENDPOINT_URL") {
            guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw ObjectStoreError.configuration("AWS_ENDPOINT_URL(_S3) \(text) is not an http(s) URL")
            }
            endpoint = url
        }
        let style = value("AWS_S3_ADDRESSING_STYLE")?.lowercased()
        if let style, style != "path", style != "virtual", style != "auto" {
            throw ObjectStoreError.configuration("AWS_S3_ADDRESSING_STYLE must be path or virtual, not \(style)")
        }
        return ObjectStoreConfiguration(
            endpoint: endpoint, region: value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") ?? "us-east-1",
            credentials: ObjectStoreCredentials(accessKeyID: key, secretAccessKey: secret,
                                                sessionToken: value("AWS_SESSION_TOKEN")),
            pathStyle: style == "path" || (style != "virtual" && endpoint != nil))
    }

    /// The URL of `key` in `bucket` (or of the bucket itself when `key` is empty), with
    /// `query` appended as given (already encoded).
    func url(bucket: String, key: String, query: String = "") -> String {
        let encodedKey = key.split(separator: "/", omittingEmptySubsequences: false)
            .map { ObjectStoreConfiguration.encode(String($0)) }.joined(separator: "/")
        let base: String
        if let endpoint {
            var root = endpoint.absoluteString
            while root.hasSuffix("/") { root.removeLast() }
            if pathStyle {
                base = "\(root)/\(bucket)"
            } else {
                let scheme = endpoint.scheme ?? "https"
                base = root.replacingOccurrences(of: "\(scheme)://", with: "\(scheme)://\(bucket).")
            }
        } else {
            base = pathStyle ? "https://s3.\(region).amazonaws.com/\(bucket)" : "https://\(bucket).s3.\(region).amazonaws.com"
        }
        let path = key.isEmpty ? (pathStyle ? "" : "/") : "/\(encodedKey)"
        return base + path + (query.isEmpty ? "" : "?\(query)")
    }

    /// RFC 3986 unreserved characters stay, everything else is percent-encoded: the form
    /// SigV4's canonical request expects, so libcurl's signature matches the server's.
    static func encode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }
}
