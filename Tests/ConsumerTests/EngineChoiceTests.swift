import Consumer
import Testing

@Suite struct EngineChoiceTests {
    @Test(arguments: [EngineChoice.lexicon, .bayes])
    func theEnginesBuildFromTheCheckout(_ choice: EngineChoice) throws {
        let engine = try choice.makeEngine()
        #expect(engine.name == choice.rawValue)
        let results = engine.score(["I love this, it is great!", "This is terrible and sad."])
        #expect(results.count == 2)
        #expect(results.allSatisfy { (-1...1).contains($0.compound) })
        #expect(results[0].compound > results[1].compound)
    }

    @Test func hybridBuildsOrSaysTheModelLacksItsPart() throws {
        do {
            #expect(try EngineChoice.hybrid.makeEngine().name == "hybrid")
        } catch let error as EngineUnavailable {
            #expect(error.description == "the hybrid engine is unavailable: the model has no hybrid part")
        }
    }

    @Test func anUnreadableModelIsAClearError() {
        #expect {
            try EngineChoice.bayes.makeEngine(modelPath: "/nonexistent/model")
        } throws: { error in
            "\(error)" == "the bayes engine is unavailable: cannot read model /nonexistent/model"
        }
    }
}
