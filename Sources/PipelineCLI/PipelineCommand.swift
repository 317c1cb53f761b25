import ArgumentParser
import Wiring

/// `pipeline`: listener + consumer workers + dashboard in one process, on the embedded
/// in-memory queue and store or on MongoDB (`--mongo`); `pipeline evaluate` replays a labelled archive and reports
/// throughput, latency and accuracy.
@main
struct PipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Listener, consumers and dashboard in one process (in-memory queue and store, or MongoDB).",
        subcommands: [RunCommand.self, EvaluateCommand.self],
        defaultSubcommand: RunCommand.self)

    /// Signals are caught before flags are parsed: there is no moment when one kills us.
    static func main() async {
        ShutdownSignals.install()
        await main(nil)
    }
}
