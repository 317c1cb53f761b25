import Foundation

/// Where tests find the servers and tools `.ci/run` (scripts/test) prepared.
public enum TestEnvironment {
    /// The MongoDB URI to test against: `TEST_MONGODB_URI`, set by scripts/test after it
    /// started the test server (or by a developer pointing at a real mongod).
    public static var mongoURI: String? {
        ProcessInfo.processInfo.environment["TEST_MONGODB_URI"].flatMap { $0.isEmpty ? nil : $0 }
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
        let bundle = Bundle.main.bundleURL.deletingLastPathComponent()
        let candidate = bundle.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        return projectRoot.appendingPathComponent(".build/debug/\(name)")
    }
}
