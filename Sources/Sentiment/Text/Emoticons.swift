/// The text emoticons the social tokenizer recognises: western faces built from eyes,
/// optional nose and mouth (`:)`, `;-P`, `=D`, `:'(`), their mirrored forms (`(:`, `)-:`),
/// and a list of others (`<3`, `^_^`, `-_-`, `o_O`).
enum Emoticons {
    /// Every emoticon, its UTF-8 bytes packed into an integer (see `key`).
    static let all: Set<UInt64> = Set(list.map { key(Array($0.utf8)[...]) })

    /// Packs up to seven bytes and the length into one integer, so look-ups allocate nothing.
    @inline(__always)
    static func key(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var key = UInt64(bytes.count)
        for b in bytes { key = key << 8 | UInt64(b) }
        return key
    }

    /// Every emoticon as text.
    static let list: [String] = {
        var set = Set<String>()
        let eyes = [":", ";", "="]
        let noses = ["", "-", "'", "^", "o"]
        let mouths = [")", "(", "D", "P", "p", "d", "]", "[", "/", "\\", "|", "*", "O", "o", "3",
                      "$", "@", ">", "<", "}", "{", "S", "s", "X", "x"]
        for eye in eyes {
            for nose in noses {
                for mouth in mouths where !(nose == "o" && (mouth == "o" || mouth == "O")) {
                    set.insert(eye + nose + mouth)
                }
                for mouth in [")", "(", "]", "["] {
                    let mirrored = mouth == ")" ? "(" : mouth == "(" ? ")" : mouth == "]" ? "[" : "]"
                    set.insert(mirrored + nose + eye)
                }
            }
        }
        let others = ["<3", "<33", "<333", "</3", "<\\3", "^_^", "^^", "^.^", "^-^", "-_-", "-.-",
                      "o_O", "O_o", "o.O", "O.o", "o_o", "O_O", "T_T", "T.T", ";_;", ">_<", ">.<",
                      "xD", "XD", "xP", "XP",
                      "D:", "D;", "D=", ":'-(", ":'-)", ":*(", "\\o/", "\\m/", "o/", "\\o"]
        for other in others { set.insert(other) }
        return Array(set)
    }()

    /// Longest emoticon, in bytes (at most seven, see `key`).
    static let maxLength = list.map(\.utf8.count).max() ?? 0

    /// Bytes that can start an emoticon; a quick filter before set look-ups.
    static let starts: Set<UInt8> = Set(list.compactMap(\.utf8.first))

    /// First two bytes of every emoticon, as `first << 8 | second`; a second filter.
    static let prefixes: Set<UInt16> = Set(list.map { text in
        let bytes = Array(text.utf8)
        return UInt16(bytes[0]) << 8 | UInt16(bytes[1])
    })

    /// Characters a mouth may repeat (`:)))`, `:DDD`).
    static let repeatable: Set<UInt8> = Set(")(DP][".utf8)
}
