import CZlib

/// A streaming gzip encoder: each `encode` call ends with `Z_SYNC_FLUSH`, so the bytes
/// returned so far decompress to everything given so far — a client can decode every
/// message as soon as it arrives, as with the real API's gzip stream.
final class GzipEncoder {
    private let stream: UnsafeMutablePointer<z_stream>
    private var output = [UInt8](repeating: 0, count: 64 * 1024)

    init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits 15 + 16 selects the gzip wrapper; level 1 keeps a full-speed stream
        // from being bound by compression (the client cannot tell the level anyway).
        let status = deflateInit2_(stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8,
                                   Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2 failed: \(status)")
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compresses `input` and flushes; returns the compressed bytes.
    func encode(_ input: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(input.count / 3 + 64)
        input.withUnsafeBufferPointer { source in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.pointee.avail_in = UInt32(source.count)
            output.withUnsafeMutableBufferPointer { sink in
                repeat {
                    stream.pointee.next_out = sink.baseAddress
                    stream.pointee.avail_out = UInt32(sink.count)
                    let status = deflate(stream, Z_SYNC_FLUSH)
                    precondition(status == Z_OK || status == Z_BUF_ERROR, "deflate failed: \(status)")
                    let produced = sink.count - Int(stream.pointee.avail_out)
                    result.append(contentsOf: sink[0..<produced])
                } while stream.pointee.avail_out == 0
            }
            stream.pointee.next_in = nil
        }
        return result
    }
}
