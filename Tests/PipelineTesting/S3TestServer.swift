import Foundation
import ObjectStorage

/// An S3-compatible test server (scripts/s3-test-server: moto's, from the test venv): the
/// shared one `scripts/test` started (`TEST_S3_ENDPOINT`, signed with
/// `TEST_S3_ACCESS_KEY_ID` / `TEST_S3_SECRET_ACCESS_KEY`), or a private one a test owns and
/// may stop and start again on the same port — empty again, since moto keeps its state in
/// memory, and accepting any key pair, since a restart forgets the users.
public final class S3TestServer: Sendable {
    /// `http://127.0.0.1:PORT`.
    public let endpoint: String
    /// The key pair requests are signed with.
    public let accessKeyID: String
    /// The secret of the key pair.
    public let secretAccessKey: String
    private let pid: Int32?

    private init(endpoint: String, accessKeyID: String, secretAccessKey: String, pid: Int32?) {
        self.endpoint = endpoint
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.pid = pid
    }

    /// The shared server, or an error saying how to get one (scripts/test always starts
    /// it, so in CI an object-storage test fails rather than skips).
    public static func shared() throws -> S3TestServer {
        let environment = ProcessInfo.processInfo.environment
        guard let endpoint = environment["TEST_S3_ENDPOINT"], !endpoint.isEmpty,
              let key = environment["TEST_S3_ACCESS_KEY_ID"], let secret = environment["TEST_S3_SECRET_ACCESS_KEY"]
        else { throw Missing() }
        return S3TestServer(endpoint: endpoint, accessKeyID: key, secretAccessKey: secret, pid: nil)
    }

    /// Starts a private server that accepts any key pair, on `port` (a free one when nil).
    public static func startPrivate(port: Int? = nil) async throws -> S3TestServer {
        // Output to a file, not a pipe: the server the script leaves running inherits the
        // script's descriptors, and a pipe it holds would never report the end of output.
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("s3-test-server-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let script = Process()
        script.executableURL = TestEnvironment.projectRoot.appendingPathComponent("scripts/s3-test-server")
        script.arguments = ["--no-auth"] + (port.map { ["--port", "\($0)"] } ?? [])
        script.standardOutput = try FileHandle(forWritingTo: output)
        script.standardError = script.standardOutput
        script.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            script.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try script.run() } catch { continuation.resume(throwing: error) }
        }
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        let fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard status == 0, fields.count == 4, let pid = Int32(fields[3]) else { throw Failed(detail: text) }
        return S3TestServer(endpoint: fields[0], accessKeyID: fields[1], secretAccessKey: fields[2], pid: pid)
    }

    /// Stops a private server (the shared one is never stopped).
    public func stop() async {
        guard let pid else { return }
        // moto's server does not stop on SIGTERM; an outage is abrupt anyway.
        kill(pid, SIGKILL)
        // Gone once signal 0 fails: the port is then free for a restart.
        for _ in 0..<100 {
            guard kill(pid, 0) == 0 else { break }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The loopback port.
    public var port: Int { Int(endpoint.split(separator: ":").last ?? "") ?? 0 }

    /// A client configuration for this server (path-style), with another secret when given.
    public func configuration(secret: String? = nil) -> ObjectStoreConfiguration {
        ObjectStoreConfiguration(endpoint: URL(string: endpoint)!, region: "us-east-1",
                                 credentials: .init(accessKeyID: accessKeyID, secretAccessKey: secret ?? secretAccessKey),
                                 pathStyle: true)
    }

    /// The variables a child process reads the same configuration from.
    public var environment: [String: String] {
        ["AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": accessKeyID, "AWS_SECRET_ACCESS_KEY": secretAccessKey,
         "AWS_REGION": "us-east-1", "AWS_S3_ADDRESSING_STYLE": "path"]
    }

    /// A fresh bucket name, so tests sharing a server never see each other's objects.
    public static func uniqueBucket(_ stem: String = "t") -> String {
        "\(stem)-\(UUID().uuidString.lowercased().prefix(12))"
    }

    /// No shared server configured.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String {
            "TEST_S3_ENDPOINT is not set: run the tests through scripts/test, or start scripts/s3-test-server"
        }
    }

    /// scripts/s3-test-server did not start a server.
    public struct Failed: Error, CustomStringConvertible {
        var detail: String
        public var description: String { "scripts/s3-test-server failed: \(detail)" }
    }
}
