/// The text emoticons the social tokenizer recognises: western faces built from eyes,
/// optional nose and mouth (`:)`, `;-P`, `=D`, `:'(`), their mirrored forms (`(:`, `)-:`),
/// and a list of others (`<3`, `^_^`, `-_-`, `o_O`).
enum Emoticons {
    /// Every emoticon as UTF-8 bytes.
    static let all: Set<[UInt8]> = {
        var set = Set<[UInt8]>()
        let eyes = [":", ";", "="]
        let noses = ["", "-", "'", "^", "o"]
        let mouths = [")", "(", "D", "P", "p", "d", "]", "[", "/", "\\", "|", "*", "O", "o", "3",
                      "$", "@", ">", "<", "}", "{", "S", "s", "X", "x"]
        for eye in eyes {
            for nose in noses {
                for mouth in mouths where !(nose == "o" && (mouth == "o" || mouth == "O")) {
                    set.insert(Array((eye + nose + mouth).utf8))
                }
                for mouth in [")", "(", "]", "["] {
                    let mirrored = mouth == ")" ? "(" : mouth == "(" ? ")" : mouth == "]" ? "[" : "]"
                    set.insert(Array((mirrored + nose + eye).utf8))
                }
            }
        }
        let others = ["<3", "<33", "<333", "</3", "<\\3", "^_^", "^^", "^.^", "^-^", "-_-", "-.-",
                      "o_O", "O_o", "o.O", "O.o", "o_o", "O_O", "T_T", "T.T", ";_;", ">_<", ">.<",
                      "xD", "XD", "xP", "XP", "x)", "X)", "8)", "8-)", "8D", "8-D", "B)", "B-)",
                      "D:", "D;", "D=", ":'-(", ":'-)", ":*(", "\\o/", "\\m/", "o/", "\\o"]
        for other in others { set.insert(Array(other.utf8)) }
        return set
    }()

    /// Longest emoticon in `all`, in bytes.
    static let maxLength = all.map(\.count).max() ?? 0

    /// Bytes that can start an emoticon; a quick filter before set look-ups.
    static let starts: Set<UInt8> = Set(all.compactMap(\.first))

    /// Characters a mouth may repeat (`:)))`, `:DDD`).
    static let repeatable: Set<UInt8> = Set(")(DP][".utf8)
}
