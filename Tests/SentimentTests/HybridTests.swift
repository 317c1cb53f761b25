import PipelineModel
import NDArray
import Testing
@testable import Sentiment

/// A small word-list engine standing in for the lexicon scorer: the hybrid only needs
/// some engine with VADER-style outputs.
struct WordListEngine: SentimentEngine {
    let name = "wordlist"
    let version = "1"
    let languages: Set<String> = ["en"]
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

    @Test("one shared lookup table gives exactly the parts' own log-probabilities, combined as the array path does",
          arguments: [false, true])
    func sharedTableScoringEqualsThePartsBitForBit(binary: Bool) throws {
        let train = Self.corpus(count: 300, seed: 1)
        var trainer = HybridTrainer(tokenizer: WordTokenizer(), alpha: 1, minCount: 1)
        trainer.binary = binary
        let file = try trainer.train(tweets: train, extra: [], lexicon: WordListEngine())
        #expect(file.bayes.binary == binary)
        let combiner = try #require(file.hybrid)
        let bayes = try BayesEngine(model: file.bayes, tokenizer: WordTokenizer())
        let logistic = try LogisticEngine(model: try #require(file.logistic), vocabulary: file.bayes.vocabulary,
                                          tokenizer: WordTokenizer())
        let engine = HybridEngine(bayes: bayes, logistic: logistic, lexicon: WordListEngine(), combiner: combiner)
        // Repeated words, unknown words and bigrams across them, and an empty text.
        let texts = Self.corpus(count: 60, seed: 9).map(\.text)
            + ["good good good movie movie", "zzz unknown good rain", "", "&amp; !! :) hate"]
        let features = HybridCombiner.features(bayesLogProbabilities: bayes.logProbabilities(texts),
                                               logisticLogProbabilities: logistic.logProbabilities(texts),
                                               lexicon: WordListEngine().score(texts))
        let standardised = (features - NDArray(combiner.means)) / NDArray(combiner.scales)
        let expected = try combiner.regression.probabilities(standardised).scalars
        let results = engine.score(texts)
        for (row, result) in results.enumerated() {
            #expect(result.probabilities == Array(expected[(row * 3)..<(row * 3 + 3)]), "text \(row): \(texts[row])")
        }
    }

    @Test("a strong lexicon vote makes the hybrid follow the lexicon's label; zero changes nothing")
    func lexiconVote() throws {
        let file = try HybridTrainer(tokenizer: WordTokenizer(), alpha: 1, minCount: 1)
            .train(tweets: Self.corpus(count: 300, seed: 1), extra: [], lexicon: WordListEngine())
        let combiner = try #require(file.hybrid)
        let bayes = try BayesEngine(model: file.bayes, tokenizer: WordTokenizer())
        let logistic = try LogisticEngine(model: try #require(file.logistic), vocabulary: file.bayes.vocabulary,
                                          tokenizer: WordTokenizer())
        // Texts where the word list and the learners disagree (topic words against sentiment words).
        let texts = Self.corpus(count: 90, seed: 11).map(\.text) + ["rain love", "sunny hate", "report good"]
        let lexicon = WordListEngine().score(texts)
        let features = HybridCombiner.features(bayesLogProbabilities: bayes.logProbabilities(texts),
                                               logisticLogProbabilities: logistic.logProbabilities(texts),
                                               lexicon: lexicon)
        func labels(_ combiner: HybridCombiner) throws -> [Int] {
            try combiner.probabilities(features).argmax(axis: 1)
        }
        #expect(combiner.addingLexiconVote(0) == combiner)
        #expect(try labels(combiner) != lexicon.map(\.label.index), "the test needs disagreements")
        #expect(try labels(combiner.addingLexiconVote(1_000)) == lexicon.map(\.label.index))
    }

    @Test("offset choice keeps every dev source at or above its floor when it can, and says when it cannot")
    func offsetsKeepTheLexiconFloor() {
        // Two sources; log-probabilities that favour positive. Source a is all positive, source
        // b all negative: no offsets → a perfect, b zero.
        let dev = [LabelledText](repeating: LabelledText(text: "", label: .positive, source: "a"), count: 4)
            + [LabelledText](repeating: LabelledText(text: "", label: .negative, source: "b"), count: 4)
        let logP: [Double] = (0..<8).flatMap { (row: Int) -> [Double] in
            row < 4 ? [-2.0, -3, -0.5] : [-1.0, -3, -0.6]
        }
        let free = HybridTrainer<WordTokenizer>.bestOffsets(logP: logP, dev: dev)
        #expect(free.score.keepsFloor)
        let floored = HybridTrainer<WordTokenizer>.bestOffsets(logP: logP, dev: dev, floors: [0.3, 0.3])
        #expect(floored.score.keepsFloor)
        // Negative must reach positive for b (−1 + o ≥ −0.6; a tie goes to the earlier class)
        // but not for a (−2 + o < −0.5); the first such grid value is 0.4.
        #expect(floored.offsets[0] >= 0.4 && floored.offsets[0] < 1.5)
        #expect(free.offsets == [0, 0, 0] || free.offsets[0] >= 0.4)
        let impossible = HybridTrainer<WordTokenizer>.bestOffsets(logP: logP, dev: dev, floors: [1.1, 1.1])
        #expect(!impossible.score.keepsFloor)
        #expect(HybridTrainer<WordTokenizer>.DevScore(keepsFloor: false, value: 0.9)
                < HybridTrainer<WordTokenizer>.DevScore(keepsFloor: true, value: 0.1))
    }
}
