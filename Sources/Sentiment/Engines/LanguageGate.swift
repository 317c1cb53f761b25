/// Which posts an engine may score, by the language X detected (`lang`).
///
/// An engine scores text in the languages it was trained for; a post in another language
/// would get a confident verdict that means nothing (the lexicon reads "Das Essen war
/// ausgezeichnet!" as negative). The pipeline counts such a post in volume and labels it
/// `unscored` instead. Pure: no I/O.
public struct LanguageGate: Sendable, Hashable {
    /// X's tag for text whose language it could not determine (short posts, emoji, links).
    public static let undetermined = "und"

    /// The admitted languages, as lower-case primary subtags.
    public let languages: Set<String>

    /// A gate admitting `languages` (tags are compared by their primary subtag, any case).
    public init(languages: some Sequence<String>) {
        self.languages = Set(languages.map(Self.primarySubtag))
    }

    /// The default for `engine`: its languages plus `und`, since undetermined posts are
    /// mostly short English-like text (emoji, names, links) the engines handle.
    public init(defaultFor engine: any SentimentEngine) {
        self.init(languages: engine.languages.union([Self.undetermined]))
    }

    /// Whether a post tagged `lang` is scored. A post without a tag (a feed that does not
    /// carry one) is scored: the gate only withholds a verdict when it knows better.
    public func admits(_ lang: String?) -> Bool {
        guard let lang, !lang.isEmpty else { return true }
        return languages.contains(Self.primarySubtag(lang))
    }

    /// `en` of `en-GB`, lower-cased: X sends bare subtags, other feeds may not.
    static func primarySubtag(_ tag: String) -> String {
        String(tag.prefix { $0 != "-" && $0 != "_" }).lowercased()
    }

    /// The languages of a `--score-languages` value such as `en,und`; nil unless every
    /// comma-separated item is a tag of 2–8 ASCII letters (optionally with subtags).
    public static func languages(parsing list: String) -> [String]? {
        let items = list.split(separator: ",", omittingEmptySubsequences: false)
            .map { String($0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) }
        guard !items.isEmpty else { return nil }
        for item in items {
            let primary = primarySubtag(item)
            guard (2...8).contains(primary.count), primary.allSatisfy({ $0.isASCII && $0.isLetter }),
                  item.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            else { return nil }
        }
        return items
    }
}
