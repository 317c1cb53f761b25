#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered writes to the standard file descriptors (the C `stdout`/`stderr` globals are
/// not concurrency-safe to reference under Swift 6).
enum StandardStreams {
    /// Writes all of `text` to stdout.
    static func output(_ text: String) { write(text, to: STDOUT_FILENO) }

    /// Writes all of `text` to stderr.
    static func error(_ text: String) { write(text, to: STDERR_FILENO) }

    /// Writes `line` and a newline to stderr, with control characters made visible
    /// (`TerminalText`): for every message that may quote a file's content or name.
    static func message(_ line: String) { error(TerminalText.printable(line) + "\n") }

    private static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
