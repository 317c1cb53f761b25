import CZlib
import ObjectStorage

/// An archive object's bytes as they were before compression, chunk by chunk: ranged
/// reads (`ObjectChunkReader`) through zlib's inflate for `.gz` keys (gzip members one
/// after another, as rotated files are), passed through as they are for other keys.
final class ObjectInflater {
    private let reader: ObjectChunkReader
    private let stream: UnsafeMutablePointer<z_stream>?
    private var input: [UInt8] = []
    private var inputOffset = 0
    private var ended = false

    /// An inflater over `reader`; `gzip` for `.gz` objects.
    init(reader: ObjectChunkReader, gzip: Bool) throws {
        self.reader = reader
        guard gzip else { stream = nil; return }
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 32: a window of 32 KiB, gzip or zlib header detected.
        guard inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            stream.deallocate()
            throw ListenerError.fatal("zlib failed to initialise")
        }
        self.stream = stream
    }

    deinit {
        if let stream {
            inflateEnd(stream)
            stream.deallocate()
        }
    }

    /// Compressed bytes fetched so far (progress).
    var bytesFetched: Int64 { reader.offset }

    /// Up to `maximum` next bytes; empty at the end of the object.
    func read(maximum: Int) async throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: maximum)
        let count = try await read(into: &output)
        output.removeSubrange(count...)
        return output
    }

    private func read(into output: inout [UInt8]) async throws -> Int {
        while true {
            if inputOffset == input.count {
                guard !ended, let chunk = try await fetch() else { return 0 }
                input = chunk
                inputOffset = 0
            }
            guard let stream else {
                let count = min(output.count, input.count - inputOffset)
                output.replaceSubrange(0..<count, with: input[inputOffset..<(inputOffset + count)])
                inputOffset += count
                return count
            }
            let (produced, status) = inflateStep(stream, into: &output)
            switch status {
            case Z_STREAM_END:
                // One gzip member ended; another may follow in the same object.
                inflateReset(stream)
            case Z_OK, Z_BUF_ERROR:
                break
            default:
                throw ListenerError.configuration("the archive object \(reader.object.key) is corrupt")
            }
            if produced > 0 { return produced }
        }
    }

    /// One `inflate` call from the fetched input into `output`: bytes produced, zlib's status.
    private func inflateStep(_ stream: UnsafeMutablePointer<z_stream>, into output: inout [UInt8]) -> (Int, Int32) {
        output.withUnsafeMutableBytes { buffer in
            input.withUnsafeMutableBytes { bytes -> (Int, Int32) in
                stream.pointee.next_in = bytes.baseAddress!.assumingMemoryBound(to: Bytef.self) + inputOffset
                stream.pointee.avail_in = UInt32(bytes.count - inputOffset)
                stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = UInt32(buffer.count)
                let status = inflate(stream, Z_NO_FLUSH)
                inputOffset = bytes.count - Int(stream.pointee.avail_in)
                return (buffer.count - Int(stream.pointee.avail_out), status)
            }
        }
    }

    private func fetch() async throws -> [UInt8]? {
        do {
            guard let chunk = try await reader.next() else {
                ended = true
                return nil
            }
            return chunk
        } catch let error as ObjectStoreError {
            throw ListenerError.configuration("cannot read \(reader.object.key): \(error)")
        }
    }
}
