import Foundation
import Sentiment
import Testing

/// Rule-by-rule checks with expectations computed from the paper's formulas and the
/// lexicon's own ratings (the parity suite compares with the reference implementation).
@Suite struct LexiconScorerTests {
    let scorer: LexiconScorer
    let lexicon: VaderLexicon

    init() throws {
        lexicon = try LexiconFiles.locate().load()
        scorer = LexiconScorer(lexicon: lexicon)
    }

    func compound(_ sum: Double) -> Double {
        let x = sum / (sum * sum + 15).squareRoot()
        return (x * 10_000).rounded() / 10_000
    }

    func valence(_ word: String) throws -> Double { try #require(lexicon.valences[word]) }

    @Test func engineIdentity() {
        #expect(scorer.name == "lexicon")
        #expect(!scorer.version.isEmpty)
    }

    @Test func singleWordIsItsNormalisedValence() throws {
        let good = try valence("good")
        let scores = scorer.polarityScores("good")
        #expect(scores.compound == compound(good))
        #expect(scores.positive == 1 && scores.neutral == 0 && scores.negative == 0)
    }

    @Test func negationFlipsAndDampens() throws {
        let good = try valence("good")
        #expect(scorer.polarityScores("not good").compound == compound(good * -0.74))
        #expect(scorer.polarityScores("isn't good").compound == compound(good * -0.74))
        // Out of the three-word scope.
        #expect(scorer.polarityScores("not a b c good").compound == compound(good))
    }

    @Test func boostersAndCapsAddFixedIncrements() throws {
        let good = try valence("good")
        #expect(scorer.polarityScores("very good").compound == compound(good + 0.293))
        #expect(scorer.polarityScores("slightly good").compound == compound(good - 0.293))
        // Caps count only when the text is not all caps.
        #expect(scorer.polarityScores("GOOD day").compound == compound(good + 0.733))
        #expect(scorer.polarityScores("GOOD").compound == compound(good))
    }

    @Test func punctuationAmplifiesTheDominantSide() throws {
        let good = try valence("good")
        #expect(scorer.polarityScores("good!!").compound == compound(good + 2 * 0.292))
        #expect(scorer.polarityScores("good!!!!!!!!").compound == compound(good + 4 * 0.292))
        #expect(scorer.polarityScores("good??").compound == compound(good + 2 * 0.18))
        #expect(scorer.polarityScores("good?????").compound == compound(good + 0.96))
    }

    @Test func butHalvesBeforeAndRaisesAfter() throws {
        let good = try valence("good")
        let bad = try valence("bad")
        #expect(scorer.polarityScores("good but bad").compound == compound(good * 0.5 + bad * 1.5))
    }

    @Test func emojiScoreAsTheirDescription() throws {
        let description = try #require(lexicon.emojiDescriptions["😀"])
        #expect(scorer.polarityScores("😀") == scorer.polarityScores(description))
    }

    @Test func emptyTextIsAllZero() {
        #expect(scorer.polarityScores("") == PolarityScores(negative: 0, neutral: 0, positive: 0, compound: 0))
        #expect(scorer.score("   ").label == .neutral)
    }

    @Test func batchKeepsOrderAndMatchesSingleScores() {
        let texts = ["good", "bad", "", "NOT good!!", "meh 😀"]
        let batch = scorer.score(texts)
        #expect(batch == texts.map { scorer.score($0) })
        #expect(batch.map(\.label) == [.positive, .negative, .neutral, .negative, .positive])
    }

    @Test func parsingCountsMalformedLines() {
        let parsed = VaderLexicon(lexiconText: "good\t1.9\t0.9\t[1]\nbroken\n\nbad\tx\n  meh\t-0.3\n",
                                  emojiText: "😀\tgrinning face\nnodescription\n")
        #expect(parsed.valences == ["good": 1.9, "meh": -0.3])
        #expect(parsed.emojiDescriptions == ["😀": "grinning face"])
        #expect(parsed.malformedLines == 3)
    }

    @Test func locatorPrefersTheEnvironmentAndNamesEveryPathTried() throws {
        let candidates = LexiconFiles.candidates(environment: ["SENTIMENT_LEXICON_DIR": "/nowhere/a"],
                                                 executableDirectory: URL(fileURLWithPath: "/nowhere/bin"),
                                                 currentDirectory: URL(fileURLWithPath: "/nowhere/cwd"))
        #expect(candidates.prefix(4).map(\.path) == [
            "/nowhere/a", "/nowhere/bin/lexicons", "/nowhere/share/sentiment-pipeline/lexicons",
            "/nowhere/cwd/lexicons",
        ])
        #expect(throws: LexiconFilesError.notFound(tried: ["/nowhere/a", "/nowhere/b"])) {
            try LexiconFiles.locate(candidates: [URL(fileURLWithPath: "/nowhere/a"),
                                                 URL(fileURLWithPath: "/nowhere/b")])
        }
        let message = LexiconFilesError.notFound(tried: ["/nowhere/a"]).description
        #expect(message.contains("/nowhere/a") && message.contains("SENTIMENT_LEXICON_DIR"))
        // The last candidate is the checkout's own folder, which holds the files.
        #expect(try LexiconFiles.locate(candidates: [candidates.last!]).directory == candidates.last!)
    }
}
