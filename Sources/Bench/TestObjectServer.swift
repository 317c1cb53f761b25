import Foundation

/// The S3-compatible server `bench archive` runs against: the one `scripts/test` exported
/// (`TEST_S3_ENDPOINT`, `TEST_S3_ACCESS_KEY_ID`, `TEST_S3_SECRET_ACCESS_KEY`), else a
/// fresh moto from `scripts/s3-test-server`, which checks signatures like a real store
/// and is stopped again by `stop()`.
struct TestObjectServer {
    /// `http://127.0.0.1:PORT`.
    var endpoint: String
    /// The key pair requests are signed with.
    var accessKeyID: String
    /// Its secret.
    var secretAccessKey: String
    /// The server's process when this bench started it.
    var pid: Int32?

    /// Whether this bench started the server (and stops it).
    var started: Bool { pid != nil }

    /// The shared server, or a new one; run from the project root.
    static func start() async throws -> TestObjectServer {
        let environment = ProcessInfo.processInfo.environment
        if let endpoint = environment["TEST_S3_ENDPOINT"], !endpoint.isEmpty,
           let key = environment["TEST_S3_ACCESS_KEY_ID"], let secret = environment["TEST_S3_SECRET_ACCESS_KEY"] {
            return TestObjectServer(endpoint: endpoint, accessKeyID: key, secretAccessKey: secret)
        }
        let script = "scripts/s3-test-server"
        guard FileManager.default.isExecutableFile(atPath: script) else {
            throw BenchFailure("run from the project root (\(script) not found), or set TEST_S3_ENDPOINT")
        }
        // A file, not a pipe: the server the script leaves running inherits its output, and
        // a pipe it holds would never report the end of the script's.
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("bench-s3-server-\(getpid())")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let fields = ((try? String(contentsOf: output, encoding: .utf8)) ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
        guard status == 0, fields.count == 4, let pid = Int32(fields[3]) else {
            throw BenchFailure("\(script) did not start a server (exit status \(status))")
        }
        return TestObjectServer(endpoint: fields[0], accessKeyID: fields[1], secretAccessKey: fields[2], pid: pid)
    }

    /// Stops the server if this bench started it.
    func stop() {
        guard let pid else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "scripts/s3-test-server")
        process.arguments = ["stop", String(pid)]
        guard (try? process.run()) != nil else { return }
        process.waitUntilExit()
    }
}
