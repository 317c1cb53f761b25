/// What a keyword name may be, checked once where keywords enter the listener (flags,
/// rule tags on posts), so the store and the dashboard never hold one they cannot show:
/// at least one non-space character, at most `maximumLength` characters, no control
/// characters and no line or paragraph separators.
public enum KeywordName {
    /// The longest keyword name, in characters.
    public static let maximumLength = 128

    /// Why `name` is not a keyword name, or nil when it is one.
    public static func problem(_ name: String) -> String? {
        if isPlainASCII(name) { return nil }
        if name.allSatisfy(\.isWhitespace) { return "is empty" }
        if name.count > maximumLength { return "is longer than \(maximumLength) characters" }
        let bad = name.unicodeScalars.contains { scalar in
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: true
            default: false
            }
        }
        return bad ? "contains a control character" : nil
    }

    /// Whether `name` is a keyword name.
    public static func isValid(_ name: String) -> Bool { problem(name) == nil }

    /// The common case without Unicode tables: printable ASCII, short, not all spaces.
    private static func isPlainASCII(_ name: String) -> Bool {
        let bytes = name.utf8
        guard bytes.count <= maximumLength else { return false }
        var printable = false
        for byte in bytes {
            guard byte >= 0x20, byte < 0x7F else { return false }
            if byte != 0x20 { printable = true }
        }
        return printable
    }
}
