/// Finds the top-level members of a JSON object without decoding the values, so the
/// simulator can forward `data` and `includes` byte-for-byte as archived.
enum JSONMembers {
    /// `(key, byte range of the value)` for each member of the object in `bytes[range]`,
    /// or nil when the text is not a well-formed object at the top level.
    static func of(_ bytes: [UInt8], in range: Range<Int>) -> [(key: String, value: Range<Int>)]? {
        var index = range.lowerBound
        let end = range.upperBound
        func skipSpace() {
            while index < end, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
                index += 1
            }
        }
        skipSpace()
        guard index < end, bytes[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        var members: [(key: String, value: Range<Int>)] = []
        skipSpace()
        if index < end, bytes[index] == UInt8(ascii: "}") {
            index += 1
            skipSpace()
            return index == end ? members : nil
        }
        while true {
            skipSpace()
            guard index < end, bytes[index] == UInt8(ascii: "\"") else { return nil }
            let keyStart = index + 1
            guard let keyEnd = skipString(bytes, from: index, end: end) else { return nil }
            let key = String(decoding: bytes[keyStart..<(keyEnd - 1)], as: UTF8.self)
            index = keyEnd
            skipSpace()
            guard index < end, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            skipSpace()
            let valueStart = index
            guard let valueEnd = skipValue(bytes, from: index, end: end) else { return nil }
            members.append((key, valueStart..<valueEnd))
            index = valueEnd
            skipSpace()
            guard index < end else { return nil }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { return nil }
            index += 1
            skipSpace()
            return index == end ? members : nil
        }
    }

    /// Index just past the string starting with the quote at `start`.
    private static func skipString(_ bytes: [UInt8], from start: Int, end: Int) -> Int? {
        var index = start + 1
        while index < end {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return nil
    }

    /// Index just past the value starting at `start` (containers are balanced, not parsed).
    private static func skipValue(_ bytes: [UInt8], from start: Int, end: Int) -> Int? {
        guard start < end else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return skipString(bytes, from: start, end: end)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var index = start
            while index < end {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard let next = skipString(bytes, from: index, end: end) else { return nil }
                    index = next
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default:
                    break
                }
                index += 1
            }
            return nil
        default:
            var index = start
            while index < end {
                let byte = bytes[index]
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")
                    || byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { break }
                index += 1
            }
            return index > start ? index : nil
        }
    }
}
