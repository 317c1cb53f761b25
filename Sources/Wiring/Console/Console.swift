import PipelineModel
import Foundation

/// Status lines for people and scripts on stdout, written at once (not block-buffered),
/// so a script waiting for a line such as the dashboard URL sees it immediately.
public enum Console {
    /// Writes `line` and a newline to stdout, unbuffered.
    public static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
