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
