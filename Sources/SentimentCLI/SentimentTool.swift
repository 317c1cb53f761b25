import ArgumentParser

/// `sentiment`: score texts, train and evaluate models from the command line.
@main
struct SentimentTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sentiment",
        abstract: "Score, train and evaluate the sentiment engines (lexicon, bayes, hybrid).",
        subcommands: [ScoreCommand.self, TrainCommand.self, EvalCommand.self]
    )
}
