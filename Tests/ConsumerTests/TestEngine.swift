import PipelineModel
import Sentiment

/// A deterministic stand-in for the real engines: the compound is a fixed function of
/// the text, so expected aggregates can be computed independently of the pipeline.
struct TestEngine: SentimentEngine {
    let name = "test-engine"
    let version = "7"
    let languages: Set<String> = ["en"]

    func score(_ texts: [String]) -> [SentimentResult] {
        texts.map { text in
            let compound = Self.compound(of: text)
            return SentimentResult(label: SentimentLabel(compound: compound), compound: compound,
                                   positive: max(0, compound), neutral: 1 - abs(compound), negative: max(0, -compound))
        }
    }

    /// −1…1 in steps of 0.01, from the text's scalar values.
    static func compound(of text: String) -> Double {
        let sum = text.unicodeScalars.reduce(0) { $0 + Int($1.value) }
        return Double(sum % 201 - 100) / 100
    }
}
