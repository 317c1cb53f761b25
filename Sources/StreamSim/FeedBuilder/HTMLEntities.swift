/// HTML entity handling for post text. The v2 API sends text with `&`, `<` and `>`
/// escaped as `&amp;`, `&lt;`, `&gt;` and nothing else escaped; corpora carry other
/// entities too, so they are decoded first and the API's three re-applied.
enum HTMLEntities {
    private static let named: [Substring: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}",
    ]

    /// Text as the API would send it.
    static func apiText(_ raw: String) -> String {
        var result = ""
        result.reserveCapacity(raw.utf8.count)
        for character in decode(raw) {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.append(character)
            }
        }
        return result
    }

    /// Replaces `&name;`, `&#NNN;` and `&#xHH;` with the characters they stand for.
    static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            let afterAmp = rest.index(after: amp)
            if let semicolon = rest[afterAmp...].prefix(10).firstIndex(of: ";"),
               let decoded = entity(rest[afterAmp..<semicolon]) {
                result += decoded
                rest = rest[rest.index(after: semicolon)...]
            } else {
                result += "&"
                rest = rest[afterAmp...]
            }
        }
        result += rest
        return result
    }

    private static func entity(_ name: Substring) -> String? {
        if let known = named[name] { return known }
        guard name.first == "#" else { return nil }
        let digits = name.dropFirst()
        let value: UInt32? = if digits.first == "x" || digits.first == "X" {
            UInt32(digits.dropFirst(), radix: 16)
        } else {
            UInt32(digits)
        }
        return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
    }
}
