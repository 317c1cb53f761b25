import PipelineModel
import ArgumentParser
import Foundation

/// `--state-dir` and `--spill`: where a service keeps what must survive a restart (the
/// spill file of posts the queue could not take yet). Shared by `listener` and `pipeline`.
public struct StateOptions: ParsableArguments, Sendable {
    /// `--state-dir`.
    @Option(name: .customLong("state-dir"),
            help: "Folder for state kept across restarts (default: $STATE_DIRECTORY under systemd, else ./.sentiment-state).")
    public var stateDirectory: String?
    /// `--spill`.
    @Option(help: "Spill file for posts the queue cannot take yet (default: <state-dir>/<service>-spill.bin); created only when something spills.")
    public var spill: String?

    /// Creates the defaults (for ArgumentParser).
    public init() {}

    /// The state folder: `--state-dir`, else systemd's `$STATE_DIRECTORY` (its first entry),
    /// else `.sentiment-state` in the working directory. Not created here: the spill file
    /// creates it when something spills.
    public func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let stateDirectory, !stateDirectory.isEmpty { return URL(fileURLWithPath: stateDirectory) }
        if let systemd = environment["STATE_DIRECTORY"]?.split(separator: ":").first, !systemd.isEmpty {
            return URL(fileURLWithPath: String(systemd))
        }
        return URL(fileURLWithPath: ".sentiment-state")
    }

    /// The spill file of `service`: `--spill`, else `<state-dir>/<service>-spill.bin`.
    public func spillURL(service: String) -> URL {
        if let spill, !spill.isEmpty { return URL(fileURLWithPath: spill) }
        return directory().appendingPathComponent("\(service)-spill.bin")
    }
}
