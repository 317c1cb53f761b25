import PipelineModel
import Foundation
import NDArray
import Testing
@testable import Sentiment

@Suite("Naive Bayes: tokenizer, vocabulary, fitting, model files")
struct BayesTests {
    static let texts = ["good good", "bad", "meh", "good movie", "bad movie", "so bad"]
    static let labels: [SentimentLabel] = [.positive, .negative, .neutral, .positive, .negative, .negative]

    @Test("the word tokenizer lowercases ASCII, keeps contractions, emoticons, entities and UTF-8")
    func tokenizer() {
        let tokens = WordTokenizer().tokens("Don't STOP!!! :) &amp; café 'quoted' x&lt;3")
        #expect(tokens == ["don't", "stop", "!!!", ":)", "&", "café", "'", "quoted", "'", "x", "<", "3"])
        #expect(WordTokenizer().tokens("") == [])
        #expect(WordTokenizer().tokens(" \t\n") == [])
    }

    @Test("the vocabulary keeps terms seen min-count times: unigrams, then bigrams, in first-seen order")
    func vocabulary() {
        let (vocabulary, counts) = VocabularyBuilder(tokenizer: WordTokenizer(), minCount: 2).build(Self.texts)
        #expect(vocabulary.terms == [.unigram("good"), .unigram("bad"), .unigram("movie")])
        #expect(counts.rowCount == 6)
        #expect(counts.dense().scalars == [2, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0])
        let all = VocabularyBuilder(tokenizer: WordTokenizer()).build(Self.texts).vocabulary
        #expect(all.featureIndex(of: .bigram("good", "good")) != nil)
        #expect(all.featureIndex(of: .bigram("good", "bad")) == nil)
        #expect(Vocabulary(terms: [.unigram("a"), .unigram("a")]) == nil)
    }

    @Test("feature log-probabilities and priors match the hand-computed Lidstone estimates")
    func handComputed() throws {
        // Vocabulary (min 1): good bad meh movie so | good·good good·movie bad·movie so·bad (9 terms).
        let model = try NaiveBayesModel.train(texts: Self.texts, labels: Self.labels,
                                              tokenizer: WordTokenizer(), alpha: 0.5)
        let classifier = model.classifier
        #expect(model.vocabulary.count == 9)
        let good = model.vocabulary.featureIndex(of: .unigram("good"))!
        let positive = SentimentLabel.positive.index
        // Positive texts hold 6 term occurrences (good×3, movie, good·good, good·movie); good occurs 3 times.
        let expected = Foundation.log((3 + 0.5) / (6 + 0.5 * 9))
        #expect(abs(classifier.featureLogProbabilities[good, positive] - expected) < 1e-12)
        #expect(abs(classifier.classLogPriors[SentimentLabel.negative.index] - Foundation.log(3.0 / 6)) < 1e-12)
        let probabilities = try classifier.predictProbabilities(model.vocabulary.counts(["good", "so bad", ""],
                                                                                         tokenizer: WordTokenizer()))
        for row in 0..<3 {
            let total = (0..<3).reduce(0.0) { $0 + probabilities[row, $1] }
            #expect(abs(total - 1) < 1e-12)
        }
        #expect(try classifier.predict(model.vocabulary.counts(["good", "so bad"], tokenizer: WordTokenizer()))
                == [.positive, .negative])
    }

    @Test("binary (presence) Naive Bayes: a feature counts once per text, in training, prediction and the model file")
    func binaryCountsPresence() throws {
        let model = try NaiveBayesModel.train(texts: Self.texts, labels: Self.labels, tokenizer: WordTokenizer(),
                                              alpha: 0.5, binary: true)
        #expect(model.binary)
        let good = try #require(model.vocabulary.featureIndex(of: .unigram("good")))
        // "good good" and "good movie": good is in 2 positive texts (3 occurrences).
        #expect(model.classifier.featureCounts[good, SentimentLabel.positive.index] == 2)
        let occurrences = try NaiveBayesModel.train(texts: Self.texts, labels: Self.labels,
                                                    tokenizer: WordTokenizer(), alpha: 0.5)
        #expect(occurrences.classifier.featureCounts[good, SentimentLabel.positive.index] == 3)
        #expect(model.vocabulary == occurrences.vocabulary)

        // The one-pass scorer equals the presence count matrix times the log-probabilities, bit for bit.
        let engine = try BayesEngine(model: model, tokenizer: WordTokenizer())
        let texts = ["good good good bad", "bad bad movie movie so bad", "", "meh meh", "good movie good movie"]
        let counts = model.vocabulary.counts(texts, tokenizer: WordTokenizer(), binary: true)
        #expect(counts.dense().scalars.allSatisfy { $0 == 0 || $0 == 1 })
        let joint = try model.classifier.jointLogLikelihood(counts)
        let expected = try (joint - joint.logSumExp(axis: 1, keepingAxis: true)).scalars
        #expect(engine.logProbabilities(texts).scalars == expected)
        #expect(engine.logProbabilities(["good good good bad"]).scalars
                != (try BayesEngine(model: occurrences, tokenizer: WordTokenizer())).logProbabilities(["good good good bad"]).scalars)

        let bytes = ModelFile(bayes: model).serialized()
        let loaded = try ModelFile(bytes: bytes)
        #expect(loaded.bayes.binary)
        #expect(loaded.serialized() == bytes)
        #expect(try ModelFile(bytes: ModelFile(bayes: occurrences).serialized()).bayes.binary == false)
    }

    @Test("the engine reports P(pos) − P(neg) as compound and rejects another tokenizer")
    func engine() throws {
        let model = try NaiveBayesModel.train(texts: Self.texts, labels: Self.labels, tokenizer: WordTokenizer())
        let engine = try BayesEngine(model: model, tokenizer: WordTokenizer())
        let results = engine.score(["good movie", "so bad"])
        #expect(engine.name == "bayes")
        #expect(results.map(\.label) == [.positive, .negative])
        for result in results {
            #expect(abs(result.compound - (result.positive - result.negative)) < 1e-12)
            #expect(result.probabilities == [result.negative, result.neutral, result.positive])
        }
        let other = ClosureTokenizer(identifier: "spaces") { $0.split(separator: " ").map(String.init) }
        #expect(throws: BayesError.self) { try BayesEngine(model: model, tokenizer: other) }
    }

    @Test("model files round-trip exactly and serialise deterministically")
    func roundTrip() throws {
        let model = try NaiveBayesModel.train(texts: Self.texts, labels: Self.labels,
                                              tokenizer: WordTokenizer(), alpha: 0.25)
        let bytes = ModelFile(bayes: model).serialized()
        let loaded = try ModelFile(bytes: bytes)
        #expect(loaded.bayes == model)
        #expect(loaded.hybrid == nil)
        #expect(loaded.serialized() == bytes)
        let again = try NaiveBayesModel.train(texts: Self.texts, labels: Self.labels,
                                              tokenizer: WordTokenizer(), alpha: 0.25)
        #expect(ModelFile(bayes: again).serialized() == bytes)
    }

    @Test("corrupt, truncated, foreign and newer-version files are clear typed errors")
    func badFiles() throws {
        let model = try NaiveBayesModel.train(texts: Self.texts, labels: Self.labels, tokenizer: WordTokenizer())
        let bytes = ModelFile(bayes: model).serialized()
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x40
        #expect(throws: ModelFormatError.checksum) { try ModelFile(bytes: flipped) }
        #expect(throws: ModelFormatError.self) { try ModelFile(bytes: Array(bytes.prefix(bytes.count - 3))) }
        #expect(throws: ModelFormatError.notAModel) { try ModelFile(bytes: Array("hello world, not a model".utf8)) }
        #expect(throws: ModelFormatError.notAModel) { try ModelFile(bytes: []) }
        // A well-formed file of a future version: intact checksum, different version.
        var future = Array(bytes.dropLast(8))
        future[ModelFile.magic.count] = 2
        var writer = ByteWriter()
        writer.uint64(ByteWriter.checksum(future))
        future += writer.output
        do {
            _ = try ModelFile(bytes: future)
            Issue.record("a version 2 file was accepted")
        } catch let error as ModelFormatError {
            #expect(error.isIncompatible)
            #expect(error.description.contains("version 2"))
        }
    }

    @Test("the engine's score table gives the count-matrix results bit for bit, trained or loaded")
    func scoreTableMatchesCounts() throws {
        // Long tokens (beyond the 8-byte slot prefix), tokens only seen inside kept bigrams
        // (min count 2), unseen tokens, UTF-8 and entities.
        let texts = ["extraordinarily wonderful wonderful day", "extraordinarily awful awful day",
                     "wonderful day café ☕️ :)", "awful day &amp; rain :(", "so so so meh", "meh meh report",
                     "extraordinarily extraordinarily", "the report the report"]
        let labels: [SentimentLabel] = [.positive, .negative, .positive, .negative, .neutral, .neutral,
                                        .positive, .neutral]
        let queries = texts + ["", "unseen words only", "wonderful awful meh", "extraordinarilyy day day",
                               "THE REPORT, the report!", "so so", "café ☕️ ☕️ rain rain :( :("]
        let trained = try NaiveBayesModel.train(texts: texts, labels: labels, tokenizer: WordTokenizer(),
                                                alpha: 0.5, minCount: 2)
        let loaded = try ModelFile(bytes: ModelFile(bayes: trained).serialized()).bayes
        for model in [trained, loaded] {
            let engine = try BayesEngine(model: model, tokenizer: WordTokenizer())
            let counts = model.vocabulary.counts(queries, tokenizer: WordTokenizer())
            #expect(engine.predict(queries) == (try model.classifier.predict(counts)))
            #expect(engine.logProbabilities(queries).scalars
                    == (try model.classifier.predictLogProbabilities(counts)).scalars)
        }
    }
}
