/// A fragment of HTML or SVG markup that escapes every piece of text it is given.
///
/// Text and attribute values always pass through `HTML.escape`; the only way to emit
/// markup verbatim is `trusted(_:)`, which takes a `StaticString`, so data that comes from
/// posts, keywords or query parameters can never reach the output unescaped.
public struct HTML: Sendable {
    fileprivate indirect enum Node: Sendable {
        case element(name: String, attributes: [(String, String)], children: [Node], void: Bool)
        case text(String)
        case trusted(String)
        case fragment([Node])
    }

    fileprivate var node: Node

    /// An attribute: a name, always a literal in this module's code, and a value
    /// (escaped; nil omits the attribute).
    public typealias Attribute = (String, String?)

    fileprivate init(_ node: Node) { self.node = node }

    /// An element with attributes and children. `name` and attribute names come from code.
    public static func element(_ name: StaticString, _ attributes: [Attribute] = [],
                               _ children: [HTML] = []) -> HTML {
        HTML(.element(name: name.description,
                      attributes: attributes.compactMap { key, value in value.map { (key, $0) } },
                      children: children.map(\.node),
                      void: voidElements.contains(name.description)))
    }

    /// Text content, escaped.
    public static func text(_ text: String) -> HTML { HTML(.text(text)) }

    /// Markup written in this module's source (scripts, styles): emitted verbatim.
    public static func trusted(_ markup: StaticString) -> HTML { HTML(.trusted(markup.description)) }

    /// Several siblings.
    public static func fragment(_ children: [HTML]) -> HTML { HTML(.fragment(children.map(\.node))) }

    /// Nothing.
    public static var empty: HTML { HTML(.fragment([])) }

    /// The serialized markup.
    public var rendered: String {
        var out = ""
        out.reserveCapacity(4096)
        Self.write(node, into: &out)
        return out
    }

    /// A complete HTML5 document around `self` (which should be the `html` element).
    public var document: String { "<!DOCTYPE html>\n" + rendered }

    private static let voidElements: Set<String> = ["meta", "link", "br", "hr", "img", "input"]

    private static func write(_ node: Node, into out: inout String) {
        switch node {
        case let .element(name, attributes, children, void):
            out += "<"
            out += name
            for (key, value) in attributes {
                out += " "
                out += key
                out += "=\""
                out += escape(value)
                out += "\""
            }
            out += ">"
            if void { return }
            for child in children { write(child, into: &out) }
            out += "</"
            out += name
            out += ">"
        case let .text(text):
            out += escape(text)
        case let .trusted(markup):
            out += markup
        case let .fragment(children):
            for child in children { write(child, into: &out) }
        }
    }

    /// Escapes text for use in element content and quoted attribute values alike.
    ///
    /// Tab, newline and carriage return are kept as they are; every other control
    /// character becomes U+FFFD, whatever else the text holds. Bidirectional control
    /// characters are written as character references so that a post cannot reorder the
    /// surrounding markup when the source is viewed; they still render as the author
    /// meant inside the text.
    public static func escape(_ text: String) -> String {
        var needsWork = false
        for scalar in text.unicodeScalars where mustEscape(scalar) {
            needsWork = true
            break
        }
        guard needsWork else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "`": out += "&#96;"
            // Whitespace is text: a post's line breaks and tabs stay as they were.
            case "\t", "\n", "\r":
                out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    out += "&#xFFFD;"
                } else if mustEscape(scalar) {
                    out += "&#x\(String(scalar.value, radix: 16, uppercase: true));"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    private static func mustEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x26, 0x3C, 0x3E, 0x22, 0x27, 0x60: true
        // C0 controls other than tab/newline/CR, and DEL/C1 controls.
        case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F, 0x7F...0x9F: true
        // Bidi marks, embeddings, overrides and isolates.
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C: true
        default: false
        }
    }
}
