import PipelineModel

/// A sentiment scorer the pipeline can run: pure, thread-safe, batch-first.
public protocol SentimentEngine: Sendable {
    /// Short name stored with every scored post (`lexicon`, `bayes`, `hybrid`).
    var name: String { get }
    /// Version of the engine and its model, stored with every scored post.
    var version: String { get }
    /// The languages it was trained for, as lower-case primary language subtags (`en`).
    /// The consumer scores posts in these (and `und`, undetermined, by default) and labels
    /// the rest `unscored`, rather than give a German post an English verdict.
    var languages: Set<String> { get }
    /// Scores texts; the result has the same count and order as the input.
    func score(_ texts: [String]) -> [SentimentResult]
}

extension SentimentEngine {
    /// Scores one text.
    public func score(_ text: String) -> SentimentResult { score([text])[0] }
}
