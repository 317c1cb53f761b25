import Foundation

/// Whether a child process is ready for a signal: its bit in `SigCgt` of
/// `/proc/PID/status` says a handler is installed — our executables install theirs as the
/// first instruction of `main`. Before that only the dynamic loader runs and no program can
/// catch anything, so tests signal a process only once this is true.
public enum SignalReadiness {
    /// True once `pid` catches `signal`; false if `running` turns false or `timeout` passes.
    public static func waitUntilCatching(_ signal: Int32, pid: Int32, timeout: Duration = .seconds(30),
                                         while running: () -> Bool = { true }) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, running() {
            if catches(signal, pid: pid) { return true }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return false
    }

    /// Whether `pid` has a handler for `signal` now.
    public static func catches(_ signal: Int32, pid: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
              let mask = UInt64(line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return false }
        return mask & (1 << UInt64(signal - 1)) != 0
    }
}
