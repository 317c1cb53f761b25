import PipelineModel
import ArgumentParser
import Foundation

/// An error the user can act on (bad flag, unreadable file, unusable model): executables
/// print its one-line description and exit with status 2, never a stack trace.
public struct CommandFailure: Error, CustomStringConvertible {
    /// The one-line message.
    public var description: String

    /// A failure with a one-line message.
    public init(_ description: String) {
        self.description = description
    }
}

extension CommandFailure {
    /// Runs `body`; a `CommandFailure`, or an error `describe` turns into a line, is
    /// printed as `COMMAND: error: …` on stderr and becomes exit status 2. Other errors
    /// pass through.
    public static func reporting(command: String, describe: (any Error) -> String? = { _ in nil },
                                 _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            let line = (error as? CommandFailure)?.description ?? describe(error)
            guard let line else { throw error }
            FileHandle.standardError.write(Data("\(command): error: \(line)\n".utf8))
            throw ExitCode(2)
        }
    }
}
