/// X escapes `&`, `<` and `>` in post text; `Post.text` carries the plain text.
enum HTMLEntities {
    static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        // `&amp;` last, so that "&amp;lt;" becomes "&lt;" and not "<".
        return text.replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
