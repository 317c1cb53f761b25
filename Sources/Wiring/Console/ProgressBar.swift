import PipelineModel
import Foundation
import Synchronization

/// A one-line progress bar on stderr, drawn only when stderr is a terminal, so logs and
/// CI output stay clean. Redraws at most ten times a second.
public final class ProgressBar: Sendable {
    private let lastDraw = Mutex(ContinuousClock.now - .seconds(1))
    private let title: String

    /// A bar when stderr is a terminal, nil otherwise.
    public static func onTerminal(title: String) -> ProgressBar? {
        isatty(STDERR_FILENO) == 1 ? ProgressBar(title: title) : nil
    }

    private init(title: String) {
        self.title = title
    }

    /// Draws `fraction` (0…1) done with a short detail text.
    public func draw(fraction: Double, detail: String) {
        let now = ContinuousClock.now
        let due = lastDraw.withLock { lastDraw in
            guard now - lastDraw >= .milliseconds(100) || fraction >= 1 else { return false }
            lastDraw = now
            return true
        }
        guard due else { return }
        let clamped = min(1, max(0, fraction))
        let width = 30
        let filled = Int(clamped * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\(title) [\(bar)] \(Int(clamped * 100))% \(detail)\u{1B}[K".utf8))
    }

    /// Ends the bar's line.
    public func finish() {
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
