import PipelineModel
import NDArray
import Testing
@testable import Sentiment

/// A small word-list engine standing in for the lexicon scorer: the hybrid only needs
/// some engine with VADER-style outputs.
struct WordListEngine: SentimentEngine {
    let name = "wordlist"
    let version = "1"
    static let positive: Set<String> = ["good", "great", "love"]
    static let negative: Set<String> = ["bad", "awful", "hate"]

    func score(_ texts: [String]) -> [SentimentResult] {
        texts.map { text in
            let words = WordTokenizer().tokens(text)
            let pos = Double(words.filter(Self.positive.contains).count)
            let neg = Double(words.filter(Self.negative.contains).count)
            let total = max(Double(words.count), 1)
            let compound = (pos - neg) / (pos + neg + 1)
            return SentimentResult(label: SentimentLabel(compound: compound), compound: compound,
                                   positive: pos / total, neutral: 1 - (pos + neg) / total, negative: neg / total)
        }
    }
}

@Suite("Hybrid engine")
struct HybridTests {
    /// A seeded synthetic corpus: sentiment words plus topic words that NB can pick up.
    static func corpus(count: Int, seed: UInt64) -> [LabelledText] {
        var generator = SplitMix64(seed: seed)
        let filler = ["the", "movie", "phone", "day", "was", "really", "today", "it"]
        let cues: [SentimentLabel: [String]] = [
            .positive: ["good", "great", "love", "sunny"], .negative: ["bad", "awful", "hate", "rain"],
            .neutral: ["report", "meeting", "schedule", "update"],
        ]
        return (0..<count).map { i in
            let label = SentimentLabel(index: i % 3)!
            var words = (0..<4).map { _ in filler[generator.next(below: filler.count)] }
            words.append(cues[label]![generator.next(below: 4)])
            if generator.next(below: 4) == 0 { words.append(cues[SentimentLabel(index: (i + 1) % 3)!]![0]) }
            return LabelledText(text: words.joined(separator: " "), label: label)
        }
    }

    @Test("softmax regression separates three clusters")
    func softmaxRegression() throws {
        var generator = SplitMix64(seed: 3)
        var scalars: [Double] = []
        var labels: [SentimentLabel] = []
        let centres = [(-2.0, 0.0), (0.0, 2.0), (2.0, 0.0)]
        for i in 0..<150 {
            let label = SentimentLabel(index: i % 3)!
            let noise = { Double(generator.next(below: 1000)) / 1000 - 0.5 }
            scalars += [centres[label.index].0 + noise(), centres[label.index].1 + noise()]
            labels.append(label)
        }
        let features = try NDArray(shape: [150, 2], scalars: scalars)
        let regression = try SoftmaxRegression.fit(features: features, labels: labels, classWeights: [1, 1, 1])
        let predicted = try regression.probabilities(features).argmax(axis: 1)
        #expect(zip(predicted, labels).filter { $0 == $1.index }.count == 150)
    }

    @Test("trains by stacking on training data, scores with probabilities, and round-trips in the model file")
    func trainAndScore() throws {
        let train = Self.corpus(count: 300, seed: 1)
        let extra = Self.corpus(count: 60, seed: 2)
        let file = try HybridTrainer(tokenizer: WordTokenizer(), alpha: 1, minCount: 1)
            .train(tweets: train, extra: extra, lexicon: WordListEngine())
        let combiner = try #require(file.hybrid)
        #expect(combiner.lexiconEngine == "wordlist-1")
        let bayes = try BayesEngine(model: file.bayes, tokenizer: WordTokenizer())
        #expect(combiner.usesLogistic)
        let logistic = try LogisticEngine(model: try #require(file.logistic), vocabulary: file.bayes.vocabulary,
                                          tokenizer: WordTokenizer())
        let engine = HybridEngine(bayes: bayes, logistic: logistic, lexicon: WordListEngine(), combiner: combiner)
        #expect(engine.name == "hybrid")
        let test = Self.corpus(count: 90, seed: 7)
        let results = engine.score(test.map(\.text))
        #expect(results.count == 90)
        for result in results {
            #expect(abs(result.positive + result.neutral + result.negative - 1) < 1e-9)
            #expect(abs(result.compound - (result.positive - result.negative)) < 1e-12)
        }
        let matrix = ConfusionMatrix(gold: test.map(\.label), predicted: results.map(\.label))
        #expect(matrix.macroF1 > 0.8)

        let bytes = file.serialized()
        let loaded = try ModelFile(bytes: bytes)
        #expect(loaded == file)
        #expect(loaded.serialized() == bytes)
    }
}
