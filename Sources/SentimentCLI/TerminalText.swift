/// Text from files (corpus lines, labels, paths) made safe to echo to a terminal: a
/// corpus line holding `ESC [ 2 J` or an OSC sequence must not clear the screen, retitle
/// the window or fake earlier output when its error is printed.
enum TerminalText {
    /// `text` with every control character (C0, DEL, C1) and bidi control written as a
    /// visible `\u{…}` escape; everything else unchanged.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C: true
        default: false
        }
    }
}
