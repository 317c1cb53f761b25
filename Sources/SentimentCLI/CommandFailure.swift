/// A user-caused failure (unreadable file, bad model): ArgumentParser prints the one-line
/// description on stderr and exits non-zero, without a stack trace.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
