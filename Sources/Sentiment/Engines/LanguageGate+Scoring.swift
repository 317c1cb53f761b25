import PipelineModel

extension LanguageGate {
    /// `engine`'s results for the texts this gate admits (by their `lang`, in order, nil for
    /// none) and `SentimentResult.unscored` for the rest, in input order; the engine sees only
    /// admitted texts. What the consumer does per batch, for the command-line tools.
    public func score(_ texts: [String], languages: [String?], with engine: any SentimentEngine) -> [SentimentResult] {
        precondition(texts.count == languages.count, "one language (or nil) per text")
        let admitted = texts.indices.filter { admits(languages[$0]) }
        if admitted.count == texts.count { return engine.score(texts) }
        var merged = Array(repeating: SentimentResult.unscored, count: texts.count)
        for (index, result) in zip(admitted, engine.score(admitted.map { texts[$0] })) { merged[index] = result }
        return merged
    }
}
