/// A line of a corpus file that cannot be read, with its 1-based line number.
public struct CorpusFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case fieldCount(Int)
        case rating(String)
        case json
        case missingText
        case label(String)
    }

    private let kind: Kind
    /// The 1-based line the problem is on.
    public let line: Int

    private init(_ kind: Kind, line: Int) {
        self.kind = kind
        self.line = line
    }

    static func fieldCount(_ count: Int, line: Int) -> Self { .init(.fieldCount(count), line: line) }
    static func rating(_ text: String, line: Int) -> Self { .init(.rating(text), line: line) }
    static func json(line: Int) -> Self { .init(.json, line: line) }
    static func missingText(line: Int) -> Self { .init(.missingText, line: line) }
    static func label(_ text: String, line: Int) -> Self { .init(.label(text), line: line) }

    /// One line for stderr: where and what.
    public var description: String {
        switch kind {
        case let .fieldCount(count): "line \(line): expected id<TAB>rating<TAB>text, found \(count) field(s)"
        case let .rating(text): "line \(line): rating \"\(text)\" is not a number"
        case .json: "line \(line): not a JSON object"
        case .missingText: "line \(line): no string \"text\" field"
        case let .label(text): "line \(line): label \"\(text)\" is not positive, neutral or negative"
        }
    }
}
