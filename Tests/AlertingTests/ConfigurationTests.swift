import Alerting
import Foundation
import PipelineModel
import Testing

@Suite struct ConfigurationTests {
    func decode(_ json: String) throws -> AlertConfiguration {
        try AlertConfiguration.decode(json: Data(json.utf8))
    }

    func message(_ json: String) -> String? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func missingKeysKeepTheirDefaults() throws {
        #expect(try decode("{}") == AlertConfiguration())
        let tuned = try decode(#"{"volume":{"thresholdDeviations":3.5},"quietMinutes":5}"#)
        var expected = AlertConfiguration()
        expected.volume.thresholdDeviations = 3.5
        expected.quietMinutes = 5
        #expect(tuned == expected)
        // What `encode` writes reads back the same (the documented defaults file).
        let written = try JSONEncoder().encode(AlertConfiguration())
        #expect(try AlertConfiguration.decode(json: written) == AlertConfiguration())
    }

    @Test func mistakesAreOneLineNamingTheKey() {
        #expect(message("[1]") == "alerts configuration is not a JSON object")
        #expect(message("{") == "alerts configuration is not a JSON object")
        #expect(message(#"{"volume":{"treshold":3}}"#) == "alerts configuration has an unknown key volume.treshold")
        #expect(message(#"{"quiet":3}"#) == "alerts configuration has an unknown key quiet")
        #expect(message(#"{"volume":{"minimumCount":"ten"}}"#) == "alerts configuration: volume.minimumCount has the wrong type")
        #expect(message(#"{"sentiment":{"significance":0.7}}"#)
            == "alerts configuration: sentiment.significance must be between 0 and 0.5 (exclusive)")
        #expect(message(#"{"sentiment":{"labels":["unscored"]}}"#)
            == "alerts configuration: sentiment.labels must be a non-empty list of negative, neutral, positive")
    }
}
