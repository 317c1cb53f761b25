import CZlib
import Foundation
import ObjectStorage

/// One archive file being written: its bytes gzip-compressed (or stored as they are) into
/// a buffer that goes to disk when full, and, for a file bound for object storage, hashed
/// on the way (`PayloadHasher`) so its upload needs no second read of it. Owned by one
/// writer under its lock.
final class ArchiveFileOutput {
    /// Where the bytes go.
    let url: URL
    private let descriptor: Int32
    private var deflater: UnsafeMutablePointer<z_stream>?
    private let hasher: PayloadHasher?
    private var buffer: UnsafeMutableRawBufferPointer
    private var buffered = 0
    /// Bytes written to the file so far (compressed when gzip).
    private(set) var fileBytes: Int64 = 0

    /// Disk writes of this size: a crash loses at most this much of the open file.
    private static let bufferSize = 64 << 10

    /// Creates (truncates) `url`.
    init(url: URL, gzip: Bool, hashing: Bool) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ListenerError.configuration("cannot create the archive file \(url.path)") }
        self.url = url
        self.descriptor = descriptor
        hasher = hashing ? PayloadHasher() : nil
        buffer = .allocate(byteCount: Self.bufferSize, alignment: 16)
        if gzip {
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            // Level 6 as before; window 15 + 16: a gzip header and trailer, as `gzip` writes.
            guard deflateInit2_(stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                                Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                stream.deallocate()
                Foundation.close(descriptor)
                buffer.deallocate()
                throw ListenerError.fatal("cannot start gzip for \(url.path)")
            }
            deflater = stream
        }
    }

    deinit {
        if let deflater {
            deflateEnd(deflater)
            deflater.deallocate()
        }
        if descriptor >= 0 { Foundation.close(descriptor) }
        buffer.deallocate()
    }

    /// Appends bytes (compressed first when gzip).
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        guard let deflater else {
            var offset = 0
            while offset < bytes.count {
                let count = min(buffer.count - buffered, bytes.count - offset)
                UnsafeMutableRawBufferPointer(rebasing: buffer[buffered..<(buffered + count)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]))
                buffered += count
                offset += count
                if buffered == buffer.count { try drain() }
            }
            return
        }
        deflater.pointee.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress!.assumingMemoryBound(to: Bytef.self))
        deflater.pointee.avail_in = UInt32(bytes.count)
        while deflater.pointee.avail_in > 0 { try deflate(flush: Z_NO_FLUSH) }
    }

    /// Ends the file: the gzip trailer, the last buffer, close. Returns the digests of the
    /// file's bytes when hashing.
    func finish() throws -> UploadDigests? {
        if let deflater {
            deflater.pointee.avail_in = 0
            while try deflate(flush: Z_FINISH) != Z_STREAM_END {}
        }
        try drain()
        return hasher?.finish()
    }

    /// One deflate call into the free end of the buffer, draining it when full.
    @discardableResult
    private func deflate(flush: Int32) throws -> Int32 {
        guard let deflater else { return Z_STREAM_END }
        let free = UnsafeMutableRawBufferPointer(rebasing: buffer[buffered...])
        deflater.pointee.next_out = free.baseAddress!.assumingMemoryBound(to: Bytef.self)
        deflater.pointee.avail_out = UInt32(free.count)
        let status = CZlib.deflate(deflater, flush)
        guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
            throw ListenerError.fatal("gzip failed (\(status)) for \(url.path)")
        }
        buffered += free.count - Int(deflater.pointee.avail_out)
        if buffered == buffer.count || status == Z_STREAM_END { try drain() }
        return status
    }

    /// Writes the buffer to disk (and into the hasher).
    private func drain() throws {
        var offset = 0
        while offset < buffered {
            let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffered - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw ListenerError.fatal("cannot write the archive file \(url.path)") }
            offset += written
        }
        hasher?.update(UnsafeRawBufferPointer(rebasing: buffer[0..<buffered]))
        fileBytes += Int64(buffered)
        buffered = 0
    }
}
