/// JSON string literals written by hand where an encoder would be too slow or would not
/// escape enough: the stream simulator's feeds, `sentiment score` output lines, and the
/// dashboard's server-sent events.
public enum JSONString {
    /// What to escape beyond what JSON requires (`"`, `\` and control characters).
    public struct Escaping: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// Also `<`, `>`, `&`, C1 controls, U+2028/U+2029 and bidi controls, as `\uXXXX`:
        /// the literal can sit in HTML or an event stream read by a browser, and text
        /// from the outside can neither end the element nor visually reorder the line.
        public static let forBrowsers = Escaping(rawValue: 1)
    }

    /// The literal, quotes included.
    public static func literal(_ text: String, escaping: Escaping = []) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        append(text, to: &bytes, escaping: escaping)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the literal, quotes included, as UTF-8.
    public static func append(_ text: String, to bytes: inout [UInt8], escaping: Escaping = []) {
        bytes.append(UInt8(ascii: "\""))
        if escaping.contains(.forBrowsers) {
            for scalar in text.unicodeScalars {
                if scalar.isASCII {
                    appendASCII(UInt8(scalar.value), to: &bytes, browserSafe: true)
                } else if (0x80...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
                            || isBidiControl(scalar) {
                    appendEscape(scalar.value, to: &bytes)
                } else {
                    bytes.append(contentsOf: String(scalar).utf8)
                }
            }
        } else {
            // Every byte of a multi-byte UTF-8 sequence is ≥ 0x80 and passes through.
            for byte in text.utf8 { appendASCII(byte, to: &bytes, browserSafe: false) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Marks, embeddings, overrides and isolates that reorder the text around them.
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func appendASCII(_ byte: UInt8, to bytes: inout [UInt8], browserSafe: Bool) {
        switch byte {
        case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
        case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
        case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
        case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
        case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
        case 0..<0x20: appendEscape(UInt32(byte), to: &bytes)
        case 0x7F, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
            if browserSafe { appendEscape(UInt32(byte), to: &bytes) } else { bytes.append(byte) }
        default: bytes.append(byte)
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `\uXXXX` for a value below 0x10000.
    private static func appendEscape(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u")]
        for shift in stride(from: 12, through: 0, by: -4) { bytes.append(hexDigits[Int((value >> UInt32(shift)) & 0xF)]) }
    }
}
