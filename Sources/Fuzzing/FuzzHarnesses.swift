/// Every harness, by name, as `fuzz --target` and the CI test know them.
public enum FuzzHarnesses {
    /// The names, in the order a full run goes through them.
    public static let names = ["stream-message", "line-framer", "spill-file", "model-file", "corpus", "rule-parser",
                               "dashboard-query", "mongo-uri"]

    /// A fresh harness called `name`.
    public static func make(_ name: String) throws -> any FuzzHarness {
        switch name {
        case "stream-message": StreamMessageHarness()
        case "line-framer": LineFramerHarness()
        case "spill-file": try SpillFileHarness()
        case "model-file": try ModelFileHarness()
        case "corpus": CorpusHarness()
        case "rule-parser": RuleParserHarness()
        case "dashboard-query": DashboardQueryHarness()
        case "mongo-uri": MongoURIHarness()
        default: throw FuzzFailure("no fuzz target \(name); targets: \(names.joined(separator: ", "))")
        }
    }
}
