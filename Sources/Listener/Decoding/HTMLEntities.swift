import Foundation

/// X escapes `&`, `<` and `>` in post text; `Post.text` carries the plain text.
enum HTMLEntities {
    static func decode(_ text: String) -> String {
        var contiguous = text  // `withUTF8` is mutating; a native string is not copied
        let plain: String? = contiguous.withUTF8 { bytes in
            // Byte search, not `String.contains(_:)`: Foundation's substring search goes
            // through NSString and was a third of the decode time for texts without `&`.
            guard let base = bytes.baseAddress, memchr(base, Int32(UInt8(ascii: "&")), bytes.count) != nil else {
                return text
            }
            return bytes.allSatisfy { $0 < 0x80 } ? decodeASCII(bytes) : nil
        }
        return plain ?? decodeWithFoundation(text)
    }

    /// The text of ASCII bytes (any byte ≥ 0x80 is the caller's mistake), references decoded
    /// in one pass. For ASCII this equals `decodeWithFoundation`: the three references never
    /// overlap (each has a single `&`, at its start) and no replacement character (`<`, `>`,
    /// `&`) completes another reference, so the passes there each meet the original
    /// occurrences, exactly what one left-to-right pass meets. Non-ASCII text goes to
    /// Foundation, whose search is non-literal (U+037E is canonically a `;`).
    static func decodeASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
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
    static func decodeWithFoundation(_ text: String) -> String {
        // `&amp;` last, so that "&amp;lt;" becomes "&lt;" and not "<".
        text.replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
