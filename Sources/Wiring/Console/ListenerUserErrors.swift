import PipelineModel
import ArgumentParser
import Foundation
import Listener

/// The errors a user can cause, reported the same way by every command that runs the
/// listener: one line `COMMAND: error: …` on stderr and exit status 2, no stack trace.
public enum UserErrors {
    /// Runs `body`; a user error becomes one line and `ExitCode(2)`. `describe` names
    /// further command-specific user errors (nil: not one).
    public static func report(command: String, describe: (any Error) -> String? = { _ in nil },
                              _ body: () async throws -> Void) async throws {
        try await CommandFailure.reporting(command: command, describe: { line(for: $0) ?? describe($0) }, body)
    }

    private static func line(for error: any Error) -> String? {
        switch error {
        case let failure as ListenerError: failure.description
        case let failure as RuleValidationError: failure.description
        default: nil
        }
    }
}
