import Foundation
import Listener

/// A one-line replay progress bar on stderr, drawn only when stderr is a terminal (so
/// logs and CI output stay clean).
final class ProgressBar: Sendable {
    static func onTerminal() -> ProgressBar? {
        isatty(STDERR_FILENO) == 1 ? ProgressBar() : nil
    }

    func draw(_ progress: Replayer.Progress) {
        let fraction = progress.fileSize > 0 ? min(1, Double(progress.bytesRead) / Double(progress.fileSize)) : 1
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = "\rreplay [\(bar)] \(Int(fraction * 100))% file \(progress.fileIndex + 1)/\(progress.fileCount) posts \(progress.posts)"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
