import Foundation
import Logging

/// An S3-compatible bucket over libcurl: put (verified, multipart above a threshold),
/// list (every page), get (whole or by range). Requests are signed by libcurl's own SigV4
/// support; each runs on a thread of its own, so no call blocks a Swift concurrency thread.
///
/// Every failure is an `ObjectStoreError`: one line naming the bucket, never a secret.
public struct ObjectStore: Sendable {
    /// The bucket every call addresses.
    public let bucket: String
    /// Endpoint, credentials, tunables.
    public let configuration: ObjectStoreConfiguration
    let logger: Logger

    /// A client for `bucket`.
    public init(bucket: String, configuration: ObjectStoreConfiguration, logger: Logger) {
        self.bucket = bucket
        self.configuration = configuration
        self.logger = logger
    }

    /// What an upload stored.
    public struct Receipt: Sendable, Hashable {
        /// The key.
        public var key: String
        /// Bytes stored.
        public var size: Int64
        /// The ETag the store returned (quotes removed).
        public var etag: String
        /// Parts (1 for a plain PUT).
        public var parts: Int
    }

    /// Creates the bucket; one that already exists and is ours is fine.
    public func createBucket() async throws {
        var body: [UInt8] = []
        if configuration.region != "us-east-1" {
            body = Array("""
            <CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\
            <LocationConstraint>\(configuration.region)</LocationConstraint></CreateBucketConfiguration>
            """.utf8)
        }
        let response = try await send(ObjectRequest(method: "PUT", url: configuration.url(bucket: bucket, key: ""), body: body))
        if response.status == 409, response.errorCode == "BucketAlreadyOwnedByYou" { return }
        try check(response)
    }

    /// Stores `bytes` under `key` with one PUT, sending `Content-MD5` and
    /// `x-amz-checksum-sha256` (the store refuses a body that does not match them) and
    /// checking the ETag (or the echoed checksum) it answers with.
    @discardableResult
    public func put(key: String, bytes: [UInt8]) async throws -> Receipt {
        let request = ObjectRequest(method: "PUT", url: configuration.url(bucket: bucket, key: key), body: bytes)
        return try await putVerified(request, key: key, size: bytes.count,
                                     md5: Digest.of(bytes, .md5), sha256: Digest.of(bytes, .sha256))
    }

    /// Stores the file at `file` under `key`: one PUT up to `multipartThreshold`, else a
    /// multipart upload in `partSize` parts, `partsInFlight` at a time. Verified either way.
    /// The file is hashed in one pass and then sent from disk as libcurl asks for it: never
    /// held in memory whole.
    @discardableResult
    public func upload(file: URL, key: String) async throws -> Receipt {
        try await upload(try await prepareUpload(file: file), key: key)
    }

    /// A file hashed for its upload (`prepareUpload`), so that a caller with several files
    /// can hash the next while this one is sent.
    public struct PreparedUpload: Sendable {
        /// The file.
        public let file: URL
        /// Its size in bytes.
        public let size: Int
        /// The digests of a file that goes up in one PUT; nil for a multipart upload,
        /// whose parts are hashed one by one as they are sent.
        let digests: UploadDigests?
        /// Whether `digests` came from the caller rather than from reading the file.
        public let digestsGiven: Bool
    }

    /// Reads the file's size and, when it goes up in one PUT, takes `known` digests (computed
    /// as the file was written; they must be of exactly these bytes: a wrong pair makes the
    /// store refuse the upload or its verification fail) or hashes the file (one pass, off
    /// the cooperative pool).
    public func prepareUpload(file: URL, digests known: UploadDigests? = nil) async throws -> PreparedUpload {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue else {
            throw ObjectStoreError.configuration("cannot read \(file.path)")
        }
        guard size <= configuration.multipartThreshold else {
            return PreparedUpload(file: file, size: size, digests: nil, digestsGiven: false)
        }
        if let known { return PreparedUpload(file: file, size: size, digests: known, digestsGiven: true) }
        let range = FileRange(path: file.path, offset: 0, length: size)
        let digests = try await OwnThread.run("object-storage-digest") { try range.digests() }
        return PreparedUpload(file: file, size: size, digests: digests, digestsGiven: false)
    }

    /// Uploads a prepared file under `key`, verified.
    @discardableResult
    public func upload(_ prepared: PreparedUpload, key: String) async throws -> Receipt {
        guard let digests = prepared.digests else {
            return try await uploadInParts(file: prepared.file, key: key, size: prepared.size)
        }
        var request = ObjectRequest(method: "PUT", url: configuration.url(bucket: bucket, key: key))
        request.file = FileRange(path: prepared.file.path, offset: 0, length: prepared.size)
        return try await putVerified(request, key: key, size: prepared.size, md5: digests.md5, sha256: digests.sha256)
    }

    /// Sends a PUT whose body has the digests given, with the headers that make the store
    /// check them, and checks what it answers.
    private func putVerified(_ request: ObjectRequest, key: String, size: Int, md5: [UInt8], sha256: [UInt8]) async throws -> Receipt {
        var request = request
        request.headers += [
            "Content-Type: application/octet-stream",
            "Content-MD5: \(Data(md5).base64EncodedString())",
            "x-amz-checksum-sha256: \(Data(sha256).base64EncodedString())",
        ]
        request.payloadSHA256 = Digest.hex(sha256)
        let response = try await send(request)
        try check(response)
        let etag = Self.unquoted(response.headers["etag"])
        if let echoed = response.headers["x-amz-checksum-sha256"], echoed != Data(sha256).base64EncodedString() {
            throw ObjectStoreError.verification("\(key): the store's SHA-256 differs from the file's")
        }
        try Self.verify(etag: etag, expected: Digest.hex(md5), key: key)
        return Receipt(key: key, size: Int64(size), etag: etag, parts: 1)
    }

    /// Every object under `prefix`, in key order, reading `pageSize` keys per request
    /// (ListObjectsV2, following continuation tokens).
    public func list(prefix: String, pageSize: Int = 1000) async throws -> [ObjectSummary] {
        var objects: [ObjectSummary] = []
        var token: String?
        repeat {
            // Parameters in sorted order: the canonical query SigV4 signs.
            var query: [String] = []
            if let token { query.append("continuation-token=\(ObjectStoreConfiguration.encode(token))") }
            query += ["list-type=2", "max-keys=\(pageSize)", "prefix=\(ObjectStoreConfiguration.encode(prefix))"]
            let response = try await send(ObjectRequest(
                method: "GET", url: configuration.url(bucket: bucket, key: "", query: query.joined(separator: "&"))))
            try check(response)
            let page = ListObjectsPage(document: response.body)
            objects += page.objects
            token = page.continuationToken
        } while token != nil
        return objects
    }

    /// Lists at most one key under `prefix`: whether the credentials may read the bucket.
    public func checkAccess(prefix: String) async throws {
        let query = "list-type=2&max-keys=1&prefix=\(ObjectStoreConfiguration.encode(prefix))"
        try check(try await send(ObjectRequest(method: "GET", url: configuration.url(bucket: bucket, key: "", query: query))))
    }

    /// The bytes of `key` in `range` (all of it when nil).
    public func get(key: String, range: Range<Int64>? = nil) async throws -> [UInt8] {
        var request = ObjectRequest(method: "GET", url: configuration.url(bucket: bucket, key: key))
        if let range { request.headers.append("Range: bytes=\(range.lowerBound)-\(range.upperBound - 1)") }
        let response = try await send(request)
        try check(response)
        return response.body
    }

    /// The object's size and ETag; nil when there is no such key.
    public func head(key: String) async throws -> ObjectSummary? {
        let response = try await send(ObjectRequest(method: "HEAD", url: configuration.url(bucket: bucket, key: key)))
        if response.status == 404 { return nil }
        try check(response)
        return ObjectSummary(key: key, size: Int64(response.headers["content-length"] ?? "") ?? 0,
                             etag: Self.unquoted(response.headers["etag"]))
    }

    /// Sends a request.
    func send(_ request: ObjectRequest) async throws -> ObjectRequest.Response {
        try await request.perform(configuration)
    }

    /// Throws the error a non-2xx response stands for.
    func check(_ response: ObjectRequest.Response) throws {
        guard !(200..<300).contains(response.status) else { return }
        let code = response.errorCode
        switch (response.status, code) {
        case (403, _), (_, "InvalidAccessKeyId"), (_, "SignatureDoesNotMatch"), (_, "ExpiredToken"):
            throw ObjectStoreError.denied(bucket: bucket, code: code)
        case (404, "NoSuchBucket"):
            throw ObjectStoreError.noSuchBucket(bucket)
        default:
            throw ObjectStoreError.server(bucket: bucket, status: response.status, code: code)
        }
    }

    /// An ETag that is an MD5 (32 hex digits: a plain PUT without KMS encryption) must be
    /// `expected`; other ETags are opaque and were checked through the checksum headers.
    static func verify(etag: String, expected: String, key: String) throws {
        let isMD5 = etag.count == 32 && etag.allSatisfy(\.isHexDigit)
        let isMultipart = etag.contains("-")
        if (isMD5 || isMultipart) && etag.lowercased() != expected.lowercased() {
            throw ObjectStoreError.verification("\(key): ETag \(etag), expected \(expected)")
        }
    }

    static func unquoted(_ etag: String?) -> String {
        (etag ?? "").replacingOccurrences(of: "\"", with: "")
    }
}
