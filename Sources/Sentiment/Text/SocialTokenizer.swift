import PipelineModel

/// Splits social-media text into `SocialToken`s: URLs, @mentions, #hashtags, emoji
/// (ZWJ sequences, skin tones, flags, keycaps kept whole), emoticons, words with their
/// contractions (`don't`, `y’all`), numbers and punctuation runs. HTML character
/// references are decoded first. Case is preserved unless configured otherwise.
///
/// Works on any valid `String` (every Swift `String` is valid UTF-8) and scans bytes, so
/// it is cheap enough for the scoring hot path. Pure and thread-safe.
public struct SocialTokenizer: Sendable {
    /// How tokens are post-processed.
    public struct Configuration: Sendable, Hashable {
        /// Decode `&amp;`, `&lt;`, `&#39;`, … before tokenizing (the X API escapes `&<>`).
        public var decodesHTMLEntities: Bool
        /// Lowercase word, hashtag and mention tokens (feature extraction); off keeps case
        /// for emphasis rules.
        public var lowercases: Bool
        /// Shorten letter runs longer than three to three (`soooooo` → `sooo`), so
        /// elongations of any length share one feature.
        public var reducesElongations: Bool

        /// The defaults: decode entities, keep case, keep elongations.
        public init(decodesHTMLEntities: Bool = true, lowercases: Bool = false,
                    reducesElongations: Bool = false) {
            self.decodesHTMLEntities = decodesHTMLEntities
            self.lowercases = lowercases
            self.reducesElongations = reducesElongations
        }
    }

    /// The configuration in use.
    public var configuration: Configuration

    /// Creates a tokenizer.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The tokens of `text`, in order.
    public func tokens(in text: String) -> [SocialToken] {
        var bytes = Array(text.utf8)
        if configuration.decodesHTMLEntities { _ = HTMLEntities.decodeAll(&bytes) }
        var tokens: [SocialToken] = []
        tokens.reserveCapacity(bytes.count / 4 + 1)
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = Scanner(bytes: buffer)
            while let (range, kind) = scanner.next() {
                tokens.append(makeToken(buffer, range, kind))
            }
        }
        return tokens
    }

    private func makeToken(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                           _ kind: SocialToken.Kind) -> SocialToken {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        var text = String(decoding: slice, as: UTF8.self)
        if kind == .word || kind == .hashtag || kind == .mention {
            if configuration.reducesElongations { text = Self.reducingElongations(text) }
            if configuration.lowercases { text = text.lowercased() }
        }
        return SocialToken(text, kind: kind)
    }

    /// `text` with runs of one letter longer than three cut to three.
    static func reducingElongations(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        var run = 0
        var changed = false
        for scalar in text.unicodeScalars {
            if scalar == previous {
                run += 1
                if run > 3 { changed = true; continue }
            } else {
                previous = scalar
                run = 1
            }
            scalars.append(scalar)
        }
        return changed ? String(scalars) : text
    }
}
