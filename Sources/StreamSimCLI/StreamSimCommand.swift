import ArgumentParser

/// `stream-sim`: an X API v2 filtered-stream simulator with fault injection.
@main
struct StreamSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream-sim",
        abstract: "Serve the X API v2 filtered stream and rules endpoints from an archive, with fault injection.",
        subcommands: [ServeCommand.self, MakeFeedCommand.self],
        defaultSubcommand: ServeCommand.self)
}
