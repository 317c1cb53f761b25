import PipelineModel
import Testing
@testable import Sentiment

/// The language gate (#16): which posts an engine scores.
@Suite struct LanguageGateTests {
    @Test func defaultIsTheEngineLanguagesAndUndetermined() throws {
        let gate = LanguageGate(defaultFor: try EngineKind.lexicon.makeEngine())
        #expect(gate.languages == ["en", "und"])
        #expect(gate.admits("en") && gate.admits("und") && gate.admits("EN") && gate.admits("en-GB"))
        #expect(!gate.admits("de") && !gate.admits("fr") && !gate.admits("qme"))
        #expect(gate.admits(String?.none) && gate.admits(""), "a post without a tag is scored")
    }

    @Test func everyShippedEngineIsEnglish() throws {
        for kind in EngineKind.allCases {
            #expect(try kind.makeEngine().languages == ["en"], "\(kind)")
        }
    }

    @Test(arguments: [("en,und", ["en", "und"]), ("de", ["de"]), (" en , pt-BR ", ["en", "pt-BR"])])
    func parsesALanguageList(_ text: String, _ expected: [String]) {
        #expect(LanguageGate.languages(parsing: text) == expected)
    }

    @Test(arguments: ["", "en,", ",en", "e", "en,4x", "en;de", "englishness", "en de"])
    func rejectsAMalformedList(_ text: String) {
        #expect(LanguageGate.languages(parsing: text) == nil)
    }

    @Test func aGateOfAParsedListAdmitsItsPrimarySubtags() throws {
        let gate = LanguageGate(languages: try #require(LanguageGate.languages(parsing: "pt-BR,DE")))
        #expect(gate.admits("pt") && gate.admits("de") && !gate.admits("en"))
    }
}
