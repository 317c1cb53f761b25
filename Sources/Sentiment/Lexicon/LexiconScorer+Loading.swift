extension LexiconScorer {
    /// The scorer over the lexicons found by `LexiconFiles.locate()`.
    public static func load() throws -> LexiconScorer {
        try load(from: LexiconFiles.locate())
    }

    /// The scorer over the lexicons in `files`.
    public static func load(from files: LexiconFiles) throws -> LexiconScorer {
        LexiconScorer(lexicon: try files.load())
    }
}
