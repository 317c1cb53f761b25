/// One token of social-media text, with the surface form kept (case included) so that
/// emphasis rules can still see ALL-CAPS and elongations.
public struct SocialToken: Sendable, Hashable {
    /// What a token is; feature extractors usually keep words and emoji and map the
    /// rest to placeholders.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Letters (and digits, marks, inner apostrophes or hyphens): `don't`, `e-mail`, `sooo`.
        case word
        /// Digits with optional inner `.`/`,` separators: `17`, `3.5`, `1,000`.
        case number
        /// `http://…`, `https://…` or `www.…` up to the next space.
        case url
        /// `@name`.
        case mention
        /// `#tag`.
        case hashtag
        /// One emoji as the reader sees it: ZWJ sequences, skin tones, flags and keycaps stay whole.
        case emoji
        /// A text emoticon such as `:)`, `:-(`, `<3`, `^_^`.
        case emoticon
        /// Punctuation or another symbol; runs of `!`/`?` and of `.` stay together (`!!!`, `?!`, `...`).
        case punctuation
    }

    /// The token as written (after HTML entity decoding), case preserved.
    public var text: String
    /// The token's kind.
    public var kind: Kind

    /// Creates a token.
    public init(_ text: String, kind: Kind) {
        self.text = text
        self.kind = kind
    }

    /// True when the token has at least one cased letter and no lowercase one (`GREAT`, `OMG!`).
    public var isAllCaps: Bool {
        var sawUpper = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isLowercase { return false }
            if scalar.properties.isUppercase { sawUpper = true }
        }
        return sawUpper
    }

    /// True when a letter repeats three or more times in a row (`sooo`, `yesss`).
    public var isElongated: Bool {
        var previous: Unicode.Scalar?
        var run = 0
        for scalar in text.unicodeScalars {
            if scalar == previous, scalar.properties.isAlphabetic {
                run += 1
                if run >= 3 { return true }
            } else {
                previous = scalar
                run = 1
            }
        }
        return false
    }
}
