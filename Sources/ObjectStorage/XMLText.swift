import Foundation

/// The little XML reading S3's answers need: the text of `<Name>…</Name>` elements, in
/// order, with the five predefined entities and numeric references decoded. S3's
/// documents are flat, generated, and never use CDATA or attributes we read, so a full
/// parser would only add a dependency.
enum XMLText {
    /// The text of every `<name>` element of `document`, in order.
    static func all(_ name: String, in document: [UInt8]) -> [String] {
        raw(name, in: document).map(decode)
    }

    /// The undecoded contents of every `<name>` element.
    private static func raw(_ name: String, in document: [UInt8]) -> [Substring] {
        let text = String(decoding: document, as: UTF8.self)
        var result: [Substring] = []
        var rest = text[...]
        let open = "<\(name)>", close = "</\(name)>"
        while let start = rest.range(of: open) {
            guard let end = rest[start.upperBound...].range(of: close) else { break }
            result.append(rest[start.upperBound..<end.lowerBound])
            rest = rest[end.upperBound...]
        }
        return result
    }

    /// The text of the first `<name>` element, nil when there is none.
    static func first(_ name: String, in document: [UInt8]) -> String? {
        all(name, in: document).first
    }

    /// Each `<name>…</name>` block of `document` as its own bytes (a `<Contents>` entry).
    static func blocks(_ name: String, in document: [UInt8]) -> [[UInt8]] {
        raw(name, in: document).map { Array($0.utf8) }
    }

    /// Replaces `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` and `&#N;` / `&#xN;`.
    private static func decode(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "&", let semicolon = text[index...].firstIndex(of: ";") {
                let entity = text[text.index(after: index)..<semicolon]
                if let decoded = named[String(entity)] {
                    result.append(decoded)
                    index = text.index(after: semicolon)
                    continue
                }
                if entity.hasPrefix("#") {
                    let digits = entity.dropFirst()
                    let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
                    if let value, let scalar = Unicode.Scalar(value) {
                        result.unicodeScalars.append(scalar)
                        index = text.index(after: semicolon)
                        continue
                    }
                }
            }
            result.append(character)
            index = text.index(after: index)
        }
        return result
    }

    private static let named: [String: Character] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"]

    /// Escapes text for an element we send (CompleteMultipartUpload's ETags).
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
