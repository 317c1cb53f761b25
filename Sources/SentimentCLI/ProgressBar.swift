#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress bar on stderr, drawn only when stderr is a terminal so logs and
/// pipes never receive control characters.
struct ProgressBar {
    private let total: Int?
    private let label: String
    private let enabled: Bool
    private var lastDrawn = -1

    /// A bar for `total` items (nil: just a running count).
    init(label: String, total: Int?) {
        self.label = label
        self.total = total
        enabled = isatty(STDERR_FILENO) != 0
    }

    /// Redraws when the shown figure changes.
    mutating func update(_ done: Int) {
        guard enabled else { return }
        if let total, total > 0 {
            let percent = done * 100 / total
            guard percent != lastDrawn else { return }
            lastDrawn = percent
            let filled = percent * 30 / 100
            let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: 30 - filled)
            write("\r\(label) [\(bar)] \(percent)% \(done)/\(total)")
        } else {
            guard done / 10_000 != lastDrawn else { return }
            lastDrawn = done / 10_000
            write("\r\(label) \(done)")
        }
    }

    /// Clears the line.
    func finish() {
        guard enabled else { return }
        write("\r\u{1B}[K")
    }

    private func write(_ text: String) {
        StandardStreams.error(text)
    }
}
