import Foundation
import Synchronization

/// Runs the package's executables from tests: to completion with captured output, or in
/// the background, reading its stdout line by line (e.g. a server printing its URL).
public final class ChildProcess: @unchecked Sendable {
    // Unchecked: `Process` and `Pipe` are not `Sendable`; they are configured before the
    // process starts and only read afterwards. What the pipes deliver is under `captured`.
    private let process = Process()
    private let stdout = Pipe()
    private let stderr = Pipe()
    private let captured = Mutex(Captured())

    /// What the process printed so far: complete stdout lines, the unfinished one, stderr.
    private struct Captured {
        var buffer = Data()
        var lines: [String] = []
        var errorText = Data()
    }

    /// What a finished process printed.
    public struct Output: Sendable {
        /// Exit status.
        public var status: Int32
        /// Everything on stdout.
        public var stdout: String
        /// Everything on stderr.
        public var stderr: String
    }

    /// Starts `executable` with `arguments`; `environment` entries are added to this process's;
    /// it runs in `currentDirectory` when given (tools with paths relative to the project).
    public init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                stdin: Data? = nil, currentDirectory: URL? = nil) throws {
        process.executableURL = executable
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = stdout
        process.standardError = stderr
        stdout.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.captured.withLock { captured in
                captured.buffer.append(data)
                while let newline = captured.buffer.firstIndex(of: 10) {
                    captured.lines.append(String(decoding: captured.buffer[captured.buffer.startIndex..<newline],
                                                 as: UTF8.self))
                    captured.buffer.removeSubrange(captured.buffer.startIndex...newline)
                }
            }
        }
        stderr.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.captured.withLock { $0.errorText.append(data) }
        }
        // Handlers first, then the process, then stdin from another thread: a child that
        // writes while it reads must never find both pipes full.
        if let stdin {
            let input = Pipe()
            process.standardInput = input
            try process.run()
            let writer = input.fileHandleForWriting
            Thread.detachNewThread {
                writer.write(stdin)
                try? writer.close()
            }
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
    }

    /// Runs to completion and returns what it printed.
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                           stdin: Data? = nil, currentDirectory: URL? = nil) async throws -> Output {
        let child = try ChildProcess(executable, arguments, environment: environment, stdin: stdin,
                                     currentDirectory: currentDirectory)
        return await child.waitForExit()
    }

    /// Waits (polling, without blocking a thread of the cooperative pool) for the first
    /// stdout line containing `marker`, up to `timeout`; nil if none came or the process ended.
    public func waitForLine(containing marker: String, timeout: Duration = .seconds(60)) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = captured.withLock({ $0.lines.first { $0.contains(marker) } }) { return line }
            if !process.isRunning {
                try? await Task.sleep(for: .milliseconds(50))
                return captured.withLock { $0.lines.first { $0.contains(marker) } }
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// The complete stdout lines printed so far.
    public var linesSoFar: [String] { captured.withLock { $0.lines } }

    /// Waits for the process to exit and returns its output.
    public func waitForExit() async -> Output {
        while process.isRunning {
            try? await Task.sleep(for: .milliseconds(20))
        }
        // Let the readability handlers deliver the last bytes.
        try? await Task.sleep(for: .milliseconds(100))
        stdout.fileHandleForReading.readabilityHandler = nil
        stderr.fileHandleForReading.readabilityHandler = nil
        // Read what is left without blocking: a process spawned meanwhile by another test
        // may have inherited the pipe's write end, so EOF may never come.
        let rest = Self.drain(stdout.fileHandleForReading.fileDescriptor)
        let restError = Self.drain(stderr.fileHandleForReading.fileDescriptor)
        let status = process.terminationStatus
        return captured.withLock { captured in
            let out = captured.lines.joined(separator: "\n") + (captured.lines.isEmpty ? "" : "\n")
                + String(decoding: captured.buffer + rest, as: UTF8.self)
            return Output(status: status, stdout: out,
                          stderr: String(decoding: captured.errorText + restError, as: UTF8.self))
        }
    }

    private static func drain(_ fd: Int32) -> Data {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            data.append(contentsOf: chunk[0..<count])
        }
        return data
    }

    /// Sends SIGTERM (or `signal`).
    public func terminate(signal: Int32 = SIGTERM) {
        if process.isRunning { kill(process.processIdentifier, signal) }
    }

    /// The process id.
    public var processIdentifier: Int32 { process.processIdentifier }

    /// True while the process runs.
    public var isRunning: Bool { process.isRunning }

    /// True when it ended by `exit` (not by a signal).
    public var exitedNormally: Bool { !process.isRunning && process.terminationReason == .exit }

    /// Waits until the process has a handler for `signal` (see `SignalReadiness`): false if
    /// it ended first or `timeout` passed.
    public func waitUntilCatching(_ signal: Int32, timeout: Duration = .seconds(30)) async -> Bool {
        await SignalReadiness.waitUntilCatching(signal, pid: process.processIdentifier, timeout: timeout,
                                                while: { self.process.isRunning })
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
