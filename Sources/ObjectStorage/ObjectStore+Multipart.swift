import Foundation

extension ObjectStore {
    /// CreateMultipartUpload, one verified UploadPart per `partSize` bytes (up to
    /// `partsInFlight` at once, each hashed and then read from the file as it is sent),
    /// CompleteMultipartUpload with the parts in order; the upload is aborted when any step
    /// fails, so no orphaned parts are billed. The final ETag must be S3's
    /// `md5(md5(part 1) … md5(part N))-N`.
    func uploadInParts(file: URL, key: String, size: Int) async throws -> Receipt {
        let url = configuration.url(bucket: bucket, key: key)
        let created = try await send(ObjectRequest(method: "POST", url: url + "?uploads=",
                                                   headers: ["Content-Type: application/octet-stream"]))
        try check(created)
        guard let uploadID = XMLText.first("UploadId", in: created.body) else {
            throw ObjectStoreError.server(bucket: bucket, status: created.status, code: "no UploadId")
        }
        let idQuery = "uploadId=\(ObjectStoreConfiguration.encode(uploadID))"
        do {
            let partSize = max(1, configuration.partSize)
            let count = max(1, (size + partSize - 1) / partSize)
            var etags = [String](repeating: "", count: count)
            var md5s = [[UInt8]](repeating: [], count: count)
            try await withThrowingTaskGroup(of: (index: Int, etag: String, md5: [UInt8]).self) { group in
                var started = 0
                // At most `partsInFlight` running: start that many, then one more as each ends.
                while started < count {
                    if started >= max(1, configuration.partsInFlight), let done = try await group.next() {
                        etags[done.index] = done.etag
                        md5s[done.index] = done.md5
                    }
                    let index = started
                    let range = FileRange(path: file.path, offset: Int64(index) * Int64(partSize),
                                          length: min(partSize, size - index * partSize))
                    group.addTask {
                        let (etag, md5) = try await uploadPart(number: index + 1, range: range, url: url, idQuery: idQuery, key: key)
                        return (index, etag, md5)
                    }
                    started += 1
                }
                while let done = try await group.next() {
                    etags[done.index] = done.etag
                    md5s[done.index] = done.md5
                }
            }
            let parts = etags.enumerated().map { index, etag in
                "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\"\(XMLText.escape(etag))\"</ETag></Part>"
            }.joined()
            let completed = try await send(ObjectRequest(
                method: "POST", url: url + "?\(idQuery)", headers: ["Content-Type: application/xml"],
                body: Array("<CompleteMultipartUpload>\(parts)</CompleteMultipartUpload>".utf8)))
            try check(completed)
            // S3 may answer 200 and still report an error in the body.
            if let code = XMLText.first("Code", in: completed.body), XMLText.first("ETag", in: completed.body) == nil {
                throw ObjectStoreError.server(bucket: bucket, status: completed.status, code: code)
            }
            let etag = Self.unquoted(XMLText.first("ETag", in: completed.body) ?? completed.headers["etag"])
            try Self.verify(etag: etag, expected: "\(Digest.hex(Digest.of(md5s.flatMap { $0 }, .md5)))-\(count)", key: key)
            return Receipt(key: key, size: Int64(size), etag: etag, parts: count)
        } catch {
            _ = try? await send(ObjectRequest(method: "DELETE", url: url + "?\(idQuery)"))
            throw error
        }
    }

    /// One part: hashed (off the cooperative pool), sent from the file with `Content-MD5`
    /// and its signed SHA-256, its ETag checked. Returns the ETag and the part's MD5.
    private func uploadPart(number: Int, range: FileRange, url: String, idQuery: String, key: String) async throws -> (String, [UInt8]) {
        let digests = try await OwnThread.run("object-storage-digest") { try range.digests() }
        let (md5, sha256) = (digests.md5, digests.sha256)
        var request = ObjectRequest(method: "PUT", url: url + "?partNumber=\(number)&\(idQuery)",
                                    headers: ["Content-MD5: \(Data(md5).base64EncodedString())"])
        request.file = range
        request.payloadSHA256 = Digest.hex(sha256)
        let response = try await send(request)
        try check(response)
        let etag = Self.unquoted(response.headers["etag"])
        try Self.verify(etag: etag, expected: Digest.hex(md5), key: "\(key) part \(number)")
        return (etag, md5)
    }
}
