import PipelineModel
import Foundation
import Logging

/// Logging bootstrap shared by the executables: structured lines on stderr.
public enum LogSetup {
    /// Bootstraps swift-log at `level` (trace … critical) and returns a logger labelled `label`.
    /// An unknown level is a user error.
    public static func bootstrap(label: String, level: String) throws -> Logger {
        guard let parsed = Logger.Level(rawValue: level) else {
            throw CommandFailure("unknown --log-level \(level) (use trace, debug, info, notice, warning, error or critical)")
        }
        LoggingSystem.bootstrap { name in
            var handler = StreamLogHandler.standardError(label: name)
            handler.logLevel = parsed
            return handler
        }
        return Logger(label: label)
    }
}
