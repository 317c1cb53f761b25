import CCrypto

/// SHA-256 and MD5 over bytes, incrementally, with OpenSSL's libcrypto: SHA-256 signs the
/// payload (`x-amz-content-sha256`) and is the checksum S3 verifies
/// (`x-amz-checksum-sha256`); MD5 is `Content-MD5` and what an unencrypted object's
/// ETag holds, which is how an upload is verified on stores that echo no checksum.
struct Digest: ~Copyable {
    /// Which function.
    enum Algorithm { case sha256, md5 }

    private let context: OpaquePointer

    /// A fresh digest.
    init(_ algorithm: Algorithm) {
        // Allocation failure of a few bytes is not a condition this program survives anyway.
        context = EVP_MD_CTX_new()!
        EVP_DigestInit_ex(context, algorithm == .sha256 ? EVP_sha256() : EVP_md5(), nil)
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds bytes.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count > 0 { EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) }
    }

    /// The digest of everything added; call once, then add nothing more.
    func finish() -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &output, &length)
        return Array(output.prefix(Int(length)))
    }

    /// The digest of `bytes` in one go.
    static func of(_ bytes: [UInt8], _ algorithm: Algorithm) -> [UInt8] {
        var digest = Digest(algorithm)
        bytes.withUnsafeBytes { digest.update($0) }
        return digest.finish()
    }

    /// Lowercase hex, as SigV4 and ETags write digests.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The SHA-256 of no bytes, the payload hash of every request without a body.
    static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
}
