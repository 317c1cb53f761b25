import ArgumentParser
import Foundation

/// A bench run that cannot go on for a reason the user can act on (a bad flag, a missing
/// tool, a server that lost data): one line on stderr, exit status 1.
struct BenchFailure: Error, CustomStringConvertible {
    var message: String

    init(_ message: String) { self.message = message }

    var description: String { message }

    /// Runs `body`; any error it throws ends the run as one line `bench NAME: …` on stderr
    /// and exit status 1, never a stack trace.
    static func reporting(_ name: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            FileHandle.standardError.write(Data("bench \(name): \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
