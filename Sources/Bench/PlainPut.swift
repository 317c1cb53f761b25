import Foundation

/// The reference side of `bench archive`: what the server takes for a plain PUT of each
/// file — curl's own SigV4 signing, no `Content-MD5`, no checksum header, no ETag check,
/// every file in one curl run (`--next`), the payload hashes computed beforehand and not
/// timed. The key pair sits in a curl config file (mode 0600), never on a command line.
struct PlainPut {
    private let curl: String
    private let endpoint: String
    private let bucket: String
    private let config: URL

    /// A reference uploader into `bucket` on `server`; its config file goes into `folder`.
    init(curl: String, server: TestObjectServer, bucket: String, folder: URL) throws {
        self.curl = curl
        endpoint = server.endpoint
        self.bucket = bucket
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        config = folder.appendingPathComponent("curl.config")
        let text = """
        user = "\(server.accessKeyID):\(server.secretAccessKey)"
        aws-sigv4 = "aws:amz:us-east-1:s3"
        silent
        show-error

        """
        guard FileManager.default.createFile(atPath: config.path, contents: Data(text.utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw BenchFailure("cannot write \(config.path)")
        }
    }

    /// The SHA-256 of a file in hex (`x-amz-content-sha256`), by coreutils' sha256sum.
    func sha256(of file: URL) throws -> String {
        let output = try Self.run("/usr/bin/sha256sum", [file.path])
        guard let hash = output.split(separator: " ").first, hash.count == 64 else {
            throw BenchFailure("sha256sum printed \(output)")
        }
        return String(hash)
    }

    /// PUTs each file under `prefix` + its name; returns the seconds the curl run took.
    func put(_ files: [URL], hashes: [String], prefix: String) throws -> Double {
        var arguments: [String] = []
        for (file, hash) in zip(files, hashes) {
            if !arguments.isEmpty { arguments.append("--next") }
            arguments += ["-K", config.path, "-H", "x-amz-content-sha256: \(hash)", "-T", file.path,
                          "\(endpoint)/\(bucket)/\(prefix)\(file.lastPathComponent)", "-o", "/dev/null", "-w", "%{http_code}\n"]
        }
        let start = ContinuousClock.now
        let output = try Self.run(curl, arguments)
        let seconds = (ContinuousClock.now - start).inSeconds
        try Self.expect(output, status: "200", count: files.count, what: "PUT")
        return seconds
    }

    /// Deletes `keys` (between rounds; not timed).
    func delete(_ keys: [String]) throws {
        guard !keys.isEmpty else { return }
        var arguments: [String] = []
        for key in keys {
            if !arguments.isEmpty { arguments.append("--next") }
            arguments += ["-K", config.path, "-H", "x-amz-content-sha256: \(Self.emptySHA256)", "-X", "DELETE",
                          "\(endpoint)/\(bucket)/\(key)", "-o", "/dev/null", "-w", "%{http_code}\n"]
        }
        try Self.expect(try Self.run(curl, arguments), status: "204", count: keys.count, what: "DELETE")
    }

    private static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    private static func expect(_ output: String, status: String, count: Int, what: String) throws {
        let statuses = output.split(separator: "\n").map(String.init)
        guard statuses.count == count, statuses.allSatisfy({ $0 == status }) else {
            throw BenchFailure("curl \(what): statuses \(statuses.joined(separator: " ")), expected \(count) × \(status)")
        }
    }

    /// Runs a program to its end; its standard output, or a failure naming it.
    private static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        do { try process.run() } catch { throw BenchFailure("cannot run \(executable): \(error.localizedDescription)") }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchFailure("\(executable) exited with status \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
