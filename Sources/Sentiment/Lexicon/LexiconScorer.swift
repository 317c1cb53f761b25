import PipelineModel

/// The `lexicon` engine: the VADER method (Hutto & Gilbert, ICWSM 2014) over the
/// vaderSentiment 3.3.2 lexicons, scoring each text to VADER's `neg`/`neu`/`pos`
/// proportions and normalised `compound`.
///
/// Reproduces the reference's behaviour, quirks included, so that scores agree with
/// `vaderSentiment.polarity_scores` (checked by a differential test): whitespace
/// tokens with punctuation trimmed, valence lookup, boosters and dampeners,
/// three-token negation scope, the "but" shift, ALL-CAPS emphasis, `!`/`?`
/// amplification, idioms and special cases, and emoji replaced by their descriptions.
/// Pure and thread-safe; the text is not HTML-decoded (callers decide).
public struct LexiconScorer: SentimentEngine {
    /// Always `lexicon`.
    public let name = "lexicon"
    /// The method and lexicon version stored with every scored post.
    public let version = "vader-method-1/vaderSentiment-3.3.2"
    /// English: VADER's lexicon, emoji table and rules are English.
    public var languages: Set<String> { ["en"] }

    let table: WordTable
    /// Single-scalar emoji → UTF-8 description bytes; longer keys never match, as in the reference.
    let emoji: [UInt32: [UInt8]]
    let markers: Markers
    /// Idioms as word-id sequences with the valence they impose.
    let specialCases: [([Int32], Double)]
    /// Multi-word boosters ("kind of") as word-id sequences.
    let boosterPhrases: [([Int32], Double)]

    /// Ids of the single words the rules test by identity.
    struct Markers: Sendable {
        var no: Int32, but: Int32, kind: Int32, of: Int32, least: Int32, at: Int32, very: Int32
        var never: Int32, so: Int32, this: Int32, without: Int32, doubt: Int32, or: Int32, nor: Int32
    }

    /// Builds the scorer from parsed lexicons.
    public init(lexicon: VaderLexicon) {
        var table = WordTable(capacity: lexicon.valences.count + 256)
        for (word, valence) in lexicon.valences {
            table.setValence(valence, for: table.intern(word))
        }
        for word in VaderRules.negations { table.markNegation(table.intern(word)) }
        var boosterPhrases: [([Int32], Double)] = []
        for (word, value) in VaderRules.boosters {
            if word.contains(" ") {
                let ids = word.split(separator: " ").map { table.intern(String($0)) }
                ids.forEach { table.markInPhrase($0) }
                boosterPhrases.append((ids, value))
            } else {
                table.setBooster(value, for: table.intern(word))
            }
        }
        var specialCases: [([Int32], Double)] = []
        for (phrase, value) in VaderRules.specialCases where phrase.contains(" ") {
            let ids = phrase.split(separator: " ").map { table.intern(String($0)) }
            ids.forEach { table.markInPhrase($0) }
            specialCases.append((ids, value))
        }
        let m = VaderRules.markers.map { table.intern($0) }
        markers = Markers(no: m[0], but: m[1], kind: m[2], of: m[3], least: m[4], at: m[5], very: m[6],
                          never: m[7], so: m[8], this: m[9], without: m[10], doubt: m[11], or: m[12],
                          nor: m[13])
        var emoji: [UInt32: [UInt8]] = [:]
        for (key, description) in lexicon.emojiDescriptions {
            let scalars = key.unicodeScalars
            if scalars.count == 1, let scalar = scalars.first {
                emoji[scalar.value] = Array(description.utf8)
            }
        }
        self.table = table
        self.emoji = emoji
        self.specialCases = specialCases
        self.boosterPhrases = boosterPhrases
    }

    /// Scores texts in order.
    public func score(_ texts: [String]) -> [SentimentResult] {
        var workspace = Workspace()
        return texts.map { polarity(of: $0, workspace: &workspace).result }
    }

    /// VADER's scores for one text.
    public func polarityScores(_ text: String) -> PolarityScores {
        var workspace = Workspace()
        return polarity(of: text, workspace: &workspace)
    }

    func polarity(of text: String, workspace: inout Workspace) -> PolarityScores {
        var text = text
        return text.withUTF8 { bytes in
            segment(bytes, into: &workspace)
            assignValences(&workspace)
            applyButShift(&workspace)
            return scores(of: workspace)
        }
    }
}
