import Foundation

/// A byte range of a file: the body of an upload, read from disk while libcurl sends it
/// rather than loaded whole, so a 64 MiB archive file or several parts in flight cost a
/// few buffers of memory, not their size.
struct FileRange: Sendable {
    /// The file.
    var path: String
    /// First byte.
    var offset: Int64
    /// Bytes in the range.
    var length: Int

    /// The MD5 (`Content-MD5`, the ETag) and SHA-256 (payload hash, checksum) of the range,
    /// both from one read of it in 1 MiB pieces. Blocking: run it off the cooperative pool.
    func digests() throws -> UploadDigests {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw ObjectStoreError.configuration("cannot read \(path)") }
        defer { close(descriptor) }
        let hasher = PayloadHasher()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var done = 0
        while done < length {
            let count = pread(descriptor, buffer.baseAddress, min(buffer.count, length - done), off_t(offset) + off_t(done))
            guard count > 0 else {
                throw ObjectStoreError.configuration("\(path) ended at \(offset + Int64(done)), expected \(length) bytes from \(offset)")
            }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            done += count
        }
        return hasher.finish()
    }
}
