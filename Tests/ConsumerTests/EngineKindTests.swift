import Consumer
import Sentiment
import Testing

@Suite struct EngineKindTests {
    @Test(arguments: EngineKind.allCases)
    func theEnginesBuildFromTheCheckout(_ kind: EngineKind) throws {
        let engine = try kind.makeEngine()
        #expect(engine.name == kind.rawValue)
        let results = engine.score(["I love this, it is great!", "This is terrible and sad."])
        #expect(results.count == 2)
        #expect(results.allSatisfy { (-1...1).contains($0.compound) })
        #expect(results[0].compound > results[1].compound)
    }

    /// Every executable scores with the default when no `--engine` is given: it must be the
    /// hybrid, and it must build from the shipped files with no other flag.
    @Test func theDefaultIsTheHybridAndBuildsWithoutFlags() throws {
        #expect(EngineKind.default == .hybrid)
        #expect(try EngineKind.default.makeEngine().name == "hybrid")
        #expect(EngineKind.names == "lexicon|bayes|logreg|hybrid")
    }

    @Test func anUnreadableModelIsAClearError() {
        #expect {
            try EngineKind.bayes.makeEngine(modelPath: "/nonexistent/model")
        } throws: { error in
            "\(error)" == "the bayes engine is unavailable: cannot read model /nonexistent/model"
        }
    }
}
