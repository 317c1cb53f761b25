import Foundation

extension ObjectStore {
    /// CreateMultipartUpload, one verified UploadPart per `partSize` bytes (read from the
    /// file one part at a time), CompleteMultipartUpload; the upload is aborted when any
    /// step fails, so no orphaned parts are billed. The final ETag must be S3's
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
            guard let handle = FileHandle(forReadingAtPath: file.path) else {
                throw ObjectStoreError.configuration("cannot read \(file.path)")
            }
            defer { try? handle.close() }
            var etags: [String] = []
            var digests: [UInt8] = []
            var number = 1
            while let data = try handle.read(upToCount: configuration.partSize), !data.isEmpty {
                let bytes = Array(data)
                let md5 = Digest.of(bytes, .md5)
                let response = try await send(ObjectRequest(
                    method: "PUT", url: url + "?partNumber=\(number)&\(idQuery)",
                    headers: ["Content-MD5: \(Data(md5).base64EncodedString())"], body: bytes))
                try check(response)
                let etag = Self.unquoted(response.headers["etag"])
                try Self.verify(etag: etag, expected: Digest.hex(md5), key: "\(key) part \(number)")
                etags.append(etag)
                digests += md5
                number += 1
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
            try Self.verify(etag: etag, expected: "\(Digest.hex(Digest.of(digests, .md5)))-\(etags.count)", key: key)
            return Receipt(key: key, size: Int64(size), etag: etag, parts: etags.count)
        } catch {
            _ = try? await send(ObjectRequest(method: "DELETE", url: url + "?\(idQuery)"))
            throw error
        }
    }
}
