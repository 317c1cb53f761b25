/// The fixed constants and word lists of the VADER method (Hutto & Gilbert, ICWSM 2014),
/// with the values vaderSentiment 3.3.2 uses. They are facts about the method, kept in one
/// place so the scorer reads as the rules it applies.
enum VaderRules {
    /// Added to a following lexicon word's magnitude by an intensifier ("very").
    static let boosterIncrement = 0.293
    /// Added (as a negative) by a dampener ("slightly").
    static let boosterDecrement = -0.293
    /// Added to the magnitude of an ALL-CAPS word when the text is not all caps.
    static let capsIncrement = 0.733
    /// Multiplies a valence in a negation's scope.
    static let negationScalar = -0.74
    /// Normalisation constant: compound = x / sqrt(x² + alpha).
    static let normalizationAlpha = 15.0
    /// Per `!`, at most four counted.
    static let exclamationIncrement = 0.292
    static let maxExclamations = 4
    /// Per `?` when there are two or three; more than three count as `questionCap`.
    static let questionIncrement = 0.18
    static let questionCap = 0.96

    /// Words that negate what follows within three tokens; any token containing "n't" also does.
    static let negations: [String] = [
        "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
        "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
        "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
        "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
        "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
        "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
        "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
        "without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite",
    ]

    /// Intensifiers (positive) and dampeners (negative); they shift the next lexicon
    /// words and carry no valence of their own. Multi-word entries only act as the
    /// n-grams checked with idioms.
    static let boosters: [(String, Double)] = {
        let increments = [
            "absolutely", "amazingly", "awfully", "completely", "considerable", "considerably",
            "decidedly", "deeply", "effing", "enormous", "enormously", "entirely", "especially",
            "exceptional", "exceptionally", "extreme", "extremely", "fabulously", "flipping",
            "flippin", "frackin", "fracking", "fricking", "frickin", "frigging", "friggin",
            "fully", "fuckin", "fucking", "fuggin", "fugging", "greatly", "hella", "highly",
            "hugely", "incredible", "incredibly", "intensely", "major", "majorly", "more", "most",
            "particularly", "purely", "quite", "really", "remarkably", "so", "substantially",
            "thoroughly", "total", "totally", "tremendous", "tremendously", "uber",
            "unbelievably", "unusually", "utter", "utterly", "very",
        ]
        let decrements = [
            "almost", "barely", "hardly", "just enough", "kind of", "kinda", "kindof", "kind-of",
            "less", "little", "marginal", "marginally", "occasional", "occasionally", "partly",
            "scarce", "scarcely", "slight", "slightly", "somewhat", "sort of", "sorta", "sortof",
            "sort-of",
        ]
        return increments.map { ($0, boosterIncrement) } + decrements.map { ($0, boosterDecrement) }
    }()

    /// Idioms whose valence replaces that of the lexicon word they contain or precede.
    static let specialCases: [(String, Double)] = [
        ("the shit", 3), ("the bomb", 3), ("bad ass", 1.5), ("badass", 1.5), ("bus stop", 0),
        ("yeah right", -2), ("kiss of death", -1.5), ("to die for", 3),
        ("beating heart", 3.5),
    ]

    /// Single words the rules test for by identity.
    static let markers = ["no", "but", "kind", "of", "least", "at", "very", "never", "so", "this",
                          "without", "doubt", "or", "nor"]
}
