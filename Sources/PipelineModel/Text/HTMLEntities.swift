import Foundation

/// HTML character references in post text, in the three ways the pipeline meets them.
///
/// - The X API escapes exactly `&`, `<` and `>` (as `&amp;`, `&lt;`, `&gt;`) and nothing
///   else, so the listener undoes exactly those (`decodeAPIText`): a user who typed
///   `&quot;` keeps it.
/// - Corpora and other sources carry any reference (`&#39;`, `&hellip;`), so the
///   tokenizer decodes every one it knows (`decodeAll`).
/// - stream-sim turns corpus text into what the API would send (`apiText`).
public enum HTMLEntities {
    // MARK: Every reference

    /// Named references decoded; anything else is left as written.
    static let named: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
        "hellip": "\u{2026}", "mdash": "\u{2014}", "ndash": "\u{2013}", "lsquo": "\u{2018}",
        "rsquo": "\u{2019}", "ldquo": "\u{201C}", "rdquo": "\u{201D}", "copy": "\u{A9}",
        "reg": "\u{AE}", "trade": "\u{2122}", "euro": "\u{20AC}", "pound": "\u{A3}",
    ]

    /// The text with every known character reference decoded; text without `&` is
    /// returned unchanged.
    public static func decodeAll(_ text: String) -> String {
        var utf8 = Array(text.utf8)
        guard decodeAll(&utf8) else { return text }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Decodes in place; returns whether anything changed. Malformed references (no `;`
    /// within 10 bytes, unknown names, invalid code points) are kept verbatim.
    public static func decodeAll(_ bytes: inout [UInt8]) -> Bool {
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

    // MARK: What the X API escapes

    /// API text to plain text: `&amp;`, `&lt;` and `&gt;` decoded, nothing else.
    public static func decodeAPIText(_ text: String) -> String {
        var contiguous = text  // `withUTF8` is mutating; a native string is not copied
        let plain: String? = contiguous.withUTF8 { bytes in
            // Byte search, not `String.contains(_:)`: Foundation's substring search goes
            // through NSString and was a third of the decode time for texts without `&`.
            guard let base = bytes.baseAddress, memchr(base, Int32(UInt8(ascii: "&")), bytes.count) != nil else {
                return text
            }
            return bytes.allSatisfy { $0 < 0x80 } ? decodeASCIIAPIText(bytes) : nil
        }
        return plain ?? decodeAPITextWithFoundation(text)
    }

    /// The text of ASCII bytes (any byte ≥ 0x80 is the caller's mistake), references decoded
    /// in one pass. For ASCII this equals `decodeAPITextWithFoundation`: the three references never
    /// overlap (each has a single `&`, at its start) and no replacement character (`<`, `>`,
    /// `&`) completes another reference, so the passes there each meet the original
    /// occurrences, exactly what one left-to-right pass meets. Non-ASCII text goes to
    /// Foundation, whose search is non-literal (U+037E is canonically a `;`).
    public static func decodeASCIIAPIText(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { out in
            let n = bytes.count
            var i = 0
            var o = 0
            while i < n {
                let byte = bytes[i]
                if byte == UInt8(ascii: "&"), i + 3 < n, bytes[i + 3] == UInt8(ascii: ";") {
                    let b1 = bytes[i + 1], b2 = bytes[i + 2]
                    if b2 == UInt8(ascii: "t"), b1 == UInt8(ascii: "l") || b1 == UInt8(ascii: "g") {
                        out[o] = b1 == UInt8(ascii: "l") ? UInt8(ascii: "<") : UInt8(ascii: ">")
                        o += 1
                        i += 4
                        continue
                    }
                } else if byte == UInt8(ascii: "&"), i + 4 < n, bytes[i + 1] == UInt8(ascii: "a"),
                          bytes[i + 2] == UInt8(ascii: "m"), bytes[i + 3] == UInt8(ascii: "p"),
                          bytes[i + 4] == UInt8(ascii: ";") {
                    out[o] = UInt8(ascii: "&")
                    o += 1
                    i += 5
                    continue
                }
                out[o] = byte
                o += 1
                i += 1
            }
            return o
        }
    }

    /// The reference behaviour, kept for non-ASCII text.
    static func decodeAPITextWithFoundation(_ text: String) -> String {
        // `&amp;` last, so that "&amp;lt;" becomes "&lt;" and not "<".
        text.replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    // MARK: Text as the API sends it

    /// Corpus text as the API would send it: every reference decoded, then `&`, `<`
    /// and `>` escaped.
    public static func apiText(_ raw: String) -> String {
        var result = ""
        result.reserveCapacity(raw.utf8.count)
        for character in decodeAll(raw) {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.append(character)
            }
        }
        return result
    }
}
