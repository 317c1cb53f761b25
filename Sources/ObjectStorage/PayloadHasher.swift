/// The MD5 and SHA-256 of an upload's bytes, which a verified PUT sends (`Content-MD5`,
/// `x-amz-checksum-sha256` and the signed payload hash) and checks the answer against.
public struct UploadDigests: Sendable, Hashable {
    /// MD5, 16 bytes.
    public var md5: [UInt8]
    /// SHA-256, 32 bytes.
    public var sha256: [UInt8]

    /// Digests computed elsewhere (for example while the file was written).
    public init(md5: [UInt8], sha256: [UInt8]) {
        self.md5 = md5
        self.sha256 = sha256
    }

    /// Both digests in lowercase hex, MD5 first, separated by a space.
    public var hex: String { "\(Digest.hex(md5)) \(Digest.hex(sha256))" }

    /// Reads `hex`'s form back; nil for anything else.
    public init?(hex text: Substring) {
        let fields = text.split(separator: " ")
        guard fields.count == 2, let md5 = Self.bytes(fields[0], count: 16),
              let sha256 = Self.bytes(fields[1], count: 32) else { return nil }
        self.init(md5: md5, sha256: sha256)
    }

    private static func bytes(_ hex: Substring, count: Int) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count == count * 2 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(count)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = Self.nibble(digits[index]), let low = Self.nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

/// MD5 and SHA-256 of a stream of bytes at once, so a writer can hash what it writes and
/// the upload need not read the file again. Not thread-safe: one writer owns it.
public final class PayloadHasher {
    private var md5 = Digest(.md5)
    private var sha256 = Digest(.sha256)
    private var finished = false

    /// A hasher with no bytes yet.
    public init() {}

    /// Adds bytes.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(!finished, "bytes added to a finished PayloadHasher")
        md5.update(bytes)
        sha256.update(bytes)
    }

    /// The digests of everything added; the hasher takes no more bytes.
    public func finish() -> UploadDigests {
        precondition(!finished, "PayloadHasher finished twice")
        finished = true
        return UploadDigests(md5: md5.finish(), sha256: sha256.finish())
    }
}
