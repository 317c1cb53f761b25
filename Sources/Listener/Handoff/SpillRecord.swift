import CZlib

/// The spill file's framing, pure (no I/O): a file header, then records of
///
///     [marker 4][payload length u32 LE][payload CRC-32 u32 LE][header CRC-32 u32 LE][payload]
///
/// - No length limit: a reader takes exactly `length` bytes, however many that is (JSON
///   lines read in fixed chunks were what let one long post wedge the old file).
/// - The header has its own checksum, so a damaged length is caught before it is trusted:
///   it never sends a reader past good records or into a huge read.
/// - The marker starts with 0xFF 0xFE, bytes that never occur in UTF-8, so it can never
///   appear inside a payload (compact JSON). After damage, a reader resynchronises by
///   scanning for the next marker whose header checksum holds; a false marker in a
///   damaged header passes that check with odds of 2⁻³².
enum SpillRecord {
    /// Starts every file of this format.
    static let fileHeader: [UInt8] = Array("SPILLv2\n".utf8)
    /// Starts every record.
    static let marker: [UInt8] = [0xFF, 0xFE, 0x53, 0x50]
    /// Bytes before the payload.
    static let headerSize = 16

    /// A record header that passed its checksum.
    struct Header: Hashable {
        /// Payload bytes that follow the header.
        var length: Int
        /// CRC-32 of the payload.
        var payloadChecksum: UInt32
        /// Header plus payload.
        var recordSize: Int { SpillRecord.headerSize + length }
    }

    /// The framed record of `payload`.
    static func frame(_ payload: [UInt8]) -> [UInt8] {
        precondition(payload.count <= Int(UInt32.max), "a spill record holds at most 4 GiB")
        var record = marker
        record.reserveCapacity(headerSize + payload.count)
        appendLittleEndian(UInt32(payload.count), to: &record)
        appendLittleEndian(checksum(payload), to: &record)
        appendLittleEndian(checksum(record), to: &record)
        record += payload
        return record
    }

    /// The header at the start of `bytes`, or nil when the bytes are not a valid header
    /// (fewer than `headerSize` bytes, no marker, or a checksum that fails).
    static func header(_ bytes: some Collection<UInt8>) -> Header? {
        guard bytes.count >= headerSize else { return nil }
        let head = Array(bytes.prefix(headerSize))
        guard head[0..<4].elementsEqual(marker),
              checksum(head[0..<12]) == littleEndian(head, at: 12) else { return nil }
        return Header(length: Int(littleEndian(head, at: 4)), payloadChecksum: littleEndian(head, at: 8))
    }

    /// True when `payload` is what `header` describes.
    static func matches(_ payload: some Collection<UInt8>, _ header: Header) -> Bool {
        payload.count == header.length && checksum(payload) == header.payloadChecksum
    }

    /// The first position at or after `from` in `bytes` where a valid header starts, or
    /// nil. A header cut off by the end of `bytes`
    /// is not found: callers overlap their windows by `headerSize - 1` bytes.
    static func firstHeader(in bytes: [UInt8], from: Int) -> Int? {
        guard bytes.count >= headerSize else { return nil }
        var index = max(0, from)
        while index <= bytes.count - headerSize {
            if bytes[index] == marker[0], header(bytes[index..<(index + headerSize)]) != nil { return index }
            index += 1
        }
        return nil
    }

    /// CRC-32 (zlib's polynomial) of `bytes`.
    static func checksum(_ bytes: some Collection<UInt8>) -> UInt32 {
        let value = bytes.withContiguousStorageIfAvailable { buffer in
            UInt32(crc32(0, buffer.baseAddress, uInt(buffer.count)))
        }
        if let value { return value }
        return Array(bytes).withUnsafeBufferPointer { buffer in
            UInt32(crc32(0, buffer.baseAddress, uInt(buffer.count)))
        }
    }

    private static func appendLittleEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    private static func littleEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << UInt32(8 * $1) }
    }
}
