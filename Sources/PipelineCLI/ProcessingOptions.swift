import ArgumentParser
import Sentiment

/// How posts are scored: the consumer's flags.
struct ProcessingOptions: ParsableArguments {
    @Option(help: "Consumer workers.")
    var workers = 2
    @Option(help: "Sentiment engine: lexicon, bayes or hybrid.")
    var engine = "hybrid"
    @Option(help: "Naive Bayes / hybrid model file (default: the shipped model under lexicons/).")
    var model: String?
    @Option(help: "Posts per consumer batch.")
    var batch = 500
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error.")
    var logLevel = "notice"

    func validate() throws {
        guard (1...64).contains(workers) else { throw ValidationError("--workers must be between 1 and 64") }
        guard (1...100_000).contains(batch) else { throw ValidationError("--batch must be between 1 and 100000") }
        guard EngineCatalog.Kind(rawValue: engine) != nil else {
            throw ValidationError("--engine \(engine) is not one of \(EngineCatalog.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }
}
