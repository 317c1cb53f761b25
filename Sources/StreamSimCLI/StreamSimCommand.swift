import ArgumentParser
import Wiring

/// `stream-sim`: an X API v2 filtered-stream simulator with fault injection.
@main
struct StreamSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream-sim",
        abstract: "Serve the X API v2 filtered stream and rules endpoints from an archive, with fault injection.",
        discussion: """
        Runs `serve` unless a subcommand is named: `stream-sim --archive FEED --port 0 \
        --speed max [--fault SPEC ...]`. See `stream-sim serve --help` for every flag.

        \(faultHelp)
        """,
        subcommands: [ServeCommand.self, MakeFeedCommand.self],
        defaultSubcommand: ServeCommand.self)

    /// Signals are caught before flags are parsed: there is no moment when one kills us.
    static func main() async {
        ShutdownSignals.install()
        await main(nil)
    }
}

/// The `--fault` language, shown by `stream-sim --help` and `stream-sim serve --help`.
let faultHelp = """
FAULTS: --fault KIND[@CONNECTIONS][:PARAM=VALUE,...], repeatable and combinable. \
CONNECTIONS numbers stream requests from 1 in arrival order, refused ones \
included: N, N-M, N+ or * (default *).
  stall:after=K,seconds=S
      after K posts send nothing, not even heartbeats, for S s; then go on
  disconnect:after=K
      after K posts write half a message and drop the connection
  operational-disconnect:after=K
      after K posts send the operational-disconnect error; end the stream
  rate-limit:reset=S  (or 429)
      refuse with 429 and x-rate-limit-reset = now + S
  too-many-connections:reset=S
      refuse with 429 and connection_issue TooManyConnections
  unavailable  (or 503)
      refuse with 503
  unauthorized  (or 401)
      refuse with 401 whatever the token
Example: --fault 429@1:reset=1 --fault disconnect@2:after=100
         --fault stall@3:after=10,seconds=30
"""
