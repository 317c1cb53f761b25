import Foundation

/// Where tests find the servers and tools `.ci/run` (scripts/test) prepared.
public enum TestEnvironment {
    /// The MongoDB URI to test against: `TEST_MONGODB_URI`, set by scripts/test after it
    /// started the test server (or by a developer pointing at a real mongod).
    public static var mongoURI: String? {
        ProcessInfo.processInfo.environment["TEST_MONGODB_URI"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The MongoDB URI, or an error saying how to get one. scripts/test always sets it, so
    /// in CI a MongoDB test fails rather than skips.
    public static func requireMongoURI() throws -> String {
        guard let uri = mongoURI else { throw MissingTestServer() }
        return uri
    }

    /// Thrown when a test needs a MongoDB server and none was configured.
    public struct MissingTestServer: Error, CustomStringConvertible {
        public var description: String {
            "TEST_MONGODB_URI is not set: run the tests through scripts/test, or start scripts/mongo-test-server"
        }
    }

    /// The project root (the folder holding Package.swift).
    public static var projectRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// The Python of the test venv (oracles, test servers), `.venv/bin/python`.
    public static var python: URL {
        projectRoot.appendingPathComponent(".venv/bin/python")
    }

    /// A built executable of this package, from the same build folder as the tests.
    public static func executable(_ name: String) -> URL {
        let bundle = Bundle.main.bundleURL
        for folder in [bundle, bundle.deletingLastPathComponent()] {
            let candidate = folder.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return projectRoot.appendingPathComponent(".build/debug/\(name)")
    }
}
