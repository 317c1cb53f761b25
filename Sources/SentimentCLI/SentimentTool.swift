import ArgumentParser
import Wiring

/// `sentiment`: score texts, train and evaluate models from the command line.
@main
struct SentimentTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sentiment",
        abstract: "Score, train and evaluate the sentiment engines (lexicon, bayes, logreg, hybrid).",
        subcommands: [ScoreCommand.self, TrainCommand.self, EvalCommand.self]
    )

    /// Runs the chosen subcommand. A user error (`CommandFailure`) is one line,
    /// `sentiment: error: …`, and exit status 2, as for every executable of the project;
    /// flag errors and help keep ArgumentParser's own output and codes.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            StandardStreams.message("sentiment: error: \(failure.description)")
            Self.exit(withError: ExitCode(2))
        } catch {
            Self.exit(withError: error)
        }
    }
}
