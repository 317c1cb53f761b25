/// Appends little-endian binary fields for `ModelFile`.
struct ByteWriter {
    private(set) var output: [UInt8] = []

    mutating func byte(_ value: UInt8) { output.append(value) }
    mutating func bytes(_ values: [UInt8]) { output += values }

    mutating func uint16(_ value: UInt16) {
        output.append(UInt8(value & 0xFF))
        output.append(UInt8(value >> 8))
    }

    mutating func uint64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { output.append(UInt8((value >> UInt64(shift)) & 0xFF)) }
    }

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            output.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        output.append(UInt8(rest))
    }

    mutating func double(_ value: Double) { uint64(value.bitPattern) }

    mutating func string(_ value: String) {
        varint(UInt64(value.utf8.count))
        output += value.utf8
    }

    /// A tagged, length-prefixed section whose payload `body` writes.
    mutating func section(_ tag: UInt8, _ body: (inout ByteWriter) -> Void) {
        var payload = ByteWriter()
        body(&payload)
        byte(tag)
        varint(UInt64(payload.output.count))
        output += payload.output
    }

    /// FNV-1a 64: detects damaged files (not tampering).
    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}

/// Reads what `ByteWriter` wrote; every read past the end throws `truncated`.
struct ByteReader {
    /// Longest string a model holds: terms and engine names are short; this only bounds
    /// what a damaged or hostile file can ask for.
    static let maximumStringLength = 1 << 16
    /// Largest section a model holds (a vocabulary of millions of terms fits).
    static let maximumSectionLength = 1 << 30

    private let bytes: ArraySlice<UInt8>
    private var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        position = bytes.startIndex
    }

    var isAtEnd: Bool { position == bytes.endIndex }
    var remaining: Int { bytes.endIndex - position }

    mutating func byte() throws -> UInt8 {
        guard position < bytes.endIndex else { throw ModelFormatError.truncated }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func uint16() throws -> UInt16 {
        let low = UInt16(try byte())
        return low | UInt16(try byte()) << 8
    }

    mutating func uint64() throws -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 8) { value |= UInt64(try byte()) << UInt64(shift) }
        return value
    }

    mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw ModelFormatError.invalid("varint too long") }
            value |= UInt64(next & 0x7F) << shift
            if next < 0x80 { return value }
            shift += 7
        }
    }

    mutating func double() throws -> Double { Double(bitPattern: try uint64()) }

    /// A count or length field: at most `limit`, and no more items than the bytes left
    /// could hold at `bytesPerItem` each. A hostile file can otherwise make a reader
    /// convert a 64-bit value to `Int` (a trap), or reserve memory for billions of items.
    mutating func count(of what: String, atMost limit: Int, bytesPerItem: Int = 1) throws -> Int {
        let value = try varint()
        guard value <= UInt64(limit) else {
            throw ModelFormatError.invalid("\(what) \(value) exceeds the limit of \(limit)")
        }
        let count = Int(value)
        guard bytesPerItem == 0 || count <= remaining / bytesPerItem else { throw ModelFormatError.truncated }
        return count
    }

    mutating func string() throws -> String {
        let length = try count(of: "string length", atMost: Self.maximumStringLength)
        let slice = try self.slice(length)
        guard let text = String(validating: slice.bytes[slice.position..<slice.bytes.endIndex], as: UTF8.self) else {
            throw ModelFormatError.invalid("string is not UTF-8")
        }
        return text
    }

    /// The next `count` bytes as their own reader.
    mutating func slice(_ count: Int) throws -> ByteReader {
        guard count >= 0, count <= remaining else { throw ModelFormatError.truncated }
        defer { position += count }
        return ByteReader(bytes[position..<(position + count)])
    }
}
