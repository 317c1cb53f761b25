import Foundation
import Synchronization

/// A MongoDB-wire test server (SecantusDB from the test venv) owned by one test, on its
/// own loopback port and data directory, so the test can stop it mid-run and bring it
/// back on the same port with the same data — the outage a listener or consumer must
/// survive. The shared server of `TestEnvironment.mongoURI` is never stopped.
public final class PrivateMongoServer: @unchecked Sendable {
    private let process = Mutex<Process?>(nil)
    /// The loopback port, the same across restarts.
    public let port: Int
    /// The data directory, kept across restarts and removed by `shutdown()`.
    public let dataDirectory: URL
    private let logFile: URL

    /// A URI for this server; short server-selection timeout so clients notice an outage fast.
    public var uri: String {
        "mongodb://127.0.0.1:\(port)/?retryWrites=false&serverSelectionTimeoutMS=1000&connectTimeoutMS=1000"
    }

    /// Starts a server on a free port with a fresh data directory and waits until it accepts connections.
    public init() async throws {
        port = freeLoopbackPort()
        dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("private-mongo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        logFile = dataDirectory.appendingPathExtension("log")
        try await start()
    }

    /// Starts the server again (after `stop()` or `kill()`) on the same port and data.
    public func start() async throws {
        let server = Process()
        server.executableURL = TestEnvironment.projectRoot.appendingPathComponent(".venv/bin/secantusd-py")
        server.arguments = ["--host", "127.0.0.1", "--port", "\(port)",
                            "--storage-path", dataDirectory.path, "--sync-on-commit"]
        if !FileManager.default.fileExists(atPath: logFile.path) {
            FileManager.default.createFile(atPath: logFile.path, contents: nil)
        }
        let log = try FileHandle(forWritingTo: logFile)
        log.seekToEndOfFile()
        server.standardOutput = log
        server.standardError = log
        server.standardInput = FileHandle.nullDevice
        try server.run()
        try? log.close()
        process.withLock { $0 = server }
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            guard server.isRunning else { throw Failure("test server exited at start; log: \(logFile.path)") }
            if Self.accepts(port: port) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure("test server did not listen on \(port) within 30 s; log: \(logFile.path)")
    }

    /// Stops the server gracefully (SIGTERM, then SIGKILL after 10 s) and waits for it to exit.
    public func stop() async {
        await end(signal: SIGTERM)
    }

    /// Kills the server abruptly (SIGKILL), as a crash would.
    public func kill() async {
        await end(signal: SIGKILL)
    }

    /// Stops the server and removes its data.
    public func shutdown() async {
        await end(signal: SIGTERM)
        try? FileManager.default.removeItem(at: dataDirectory)
        try? FileManager.default.removeItem(at: logFile)
    }

    private func end(signal: Int32) async {
        guard let server = process.withLock({ $0.take() }) else { return }
        if server.isRunning { Foundation.kill(server.processIdentifier, signal) }
        let deadline = ContinuousClock.now + .seconds(10)
        while server.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if server.isRunning {
            Foundation.kill(server.processIdentifier, SIGKILL)
            while server.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        }
    }

    /// True when something accepts TCP connections on 127.0.0.1:`port`.
    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// A server that could not be started.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong.
        public let description: String
        init(_ description: String) { self.description = description }
    }

    deinit {
        process.withLock { process in
            if let process, process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        }
    }
}
