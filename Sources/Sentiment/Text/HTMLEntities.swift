/// Decodes the HTML character references that tweets carry (`&amp;`, `&lt;`, `&#39;`,
/// `&#x1F600;`): the X API escapes `&`, `<` and `>` in post text.
public enum HTMLEntities {
    /// Named references decoded; anything else is left as written.
    static let named: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
        "hellip": "\u{2026}", "mdash": "\u{2014}", "ndash": "\u{2013}", "lsquo": "\u{2018}",
        "rsquo": "\u{2019}", "ldquo": "\u{201C}", "rdquo": "\u{201D}", "copy": "\u{A9}",
        "reg": "\u{AE}", "trade": "\u{2122}", "euro": "\u{20AC}", "pound": "\u{A3}",
    ]

    /// The text with character references decoded; text without `&` is returned unchanged.
    public static func decode(_ text: String) -> String {
        var utf8 = Array(text.utf8)
        guard decode(&utf8) else { return text }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Decodes in place; returns whether anything changed. Malformed references (no `;`
    /// within 10 bytes, unknown names, invalid code points) are kept verbatim.
    static func decode(_ bytes: inout [UInt8]) -> Bool {
        guard bytes.contains(UInt8(ascii: "&")) else { return false }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var changed = false
        var i = 0
        let n = bytes.count
        while i < n {
            let byte = bytes[i]
            if byte == UInt8(ascii: "&"), let (scalar, end) = reference(in: bytes, at: i) {
                appendUTF8(scalar, to: &out)
                i = end
                changed = true
            } else {
                out.append(byte)
                i += 1
            }
        }
        if changed { bytes = out }
        return changed
    }

    /// The scalar of a reference starting with `&` at `start`, and the index after its `;`.
    private static func reference(in bytes: [UInt8], at start: Int) -> (Unicode.Scalar, Int)? {
        var end = start + 1
        let limit = min(bytes.count, start + 12)
        while end < limit, bytes[end] != UInt8(ascii: ";") {
            let b = bytes[end]
            let isNameByte = (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A)
                || b == UInt8(ascii: "#")
            guard isNameByte else { return nil }
            end += 1
        }
        guard end < limit, end > start + 1 else { return nil }
        let body = bytes[(start + 1)..<end]
        if body.first == UInt8(ascii: "#") {
            var digits = body.dropFirst()
            var radix: UInt32 = 10
            if let x = digits.first, x | 0x20 == UInt8(ascii: "x") {
                radix = 16
                digits = digits.dropFirst()
            }
            guard !digits.isEmpty, digits.count <= 8 else { return nil }
            var value: UInt32 = 0
            for d in digits {
                let digit: UInt32
                switch d {
                case 0x30...0x39: digit = UInt32(d - 0x30)
                case 0x61...0x66 where radix == 16: digit = UInt32(d - 0x61 + 10)
                case 0x41...0x46 where radix == 16: digit = UInt32(d - 0x41 + 10)
                default: return nil
                }
                value = value * radix + digit
                if value > 0x10FFFF { return nil }
            }
            guard value != 0, let scalar = Unicode.Scalar(value) else { return nil }
            return (scalar, end + 1)
        }
        guard let scalar = named[String(decoding: body, as: UTF8.self)] else { return nil }
        return (scalar, end + 1)
    }

    static func appendUTF8(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        for unit in UTF8.encode(scalar)! { out.append(unit) }
    }
}
