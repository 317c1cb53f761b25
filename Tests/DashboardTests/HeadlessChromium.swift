import Foundation
import PipelineTesting

/// chromedriver and the headless Chromium it starts, as one process group that can
/// always be killed whole, with output in a log file (never the test runner's pipes).
///
/// Why this shape: a browser left running after a test keeps the runner's stderr pipe
/// open (so `swift test` waits for EOF forever) and its SSE connection keeps the
/// dashboard busy. Foundation's `Process` starts chromedriver as the leader of a new
/// process group; Chromium and its helpers inherit that group, so `kill(-group)` ends
/// them all.
final class HeadlessChromium: Sendable {
    static let chromium = "/usr/bin/chromium"
    static let chromedriver = "/usr/bin/chromedriver"

    /// True when the Debian packages `chromium` and `chromium-driver` are installed.
    static var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: chromium) && FileManager.default.isExecutableFile(atPath: chromedriver)
    }

    let driver: WebDriver
    /// `-pgid` of chromedriver's own process group (or its pid if it has none).
    let group: pid_t
    let folder: URL

    private init(driver: WebDriver, group: pid_t, folder: URL) {
        self.driver = driver
        self.group = group
        self.folder = folder
    }

    /// Starts chromedriver on a free port and opens a browser session (each step bounded
    /// by `timeout`); `folder` receives the logs and the browser profile.
    static func start(folder: URL, timeout: Duration = .seconds(60)) async throws -> HeadlessChromium {
        let port = freeLoopbackPort()
        let log = folder.appendingPathComponent("chromedriver.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromedriver)
        process.arguments = ["--port=\(port)", "--log-path=\(log.path)"]
        var environment = ProcessInfo.processInfo.environment
        // No session bus in CI: without this Chromium retries D-Bus calls and logs errors.
        environment["DBUS_SESSION_BUS_ADDRESS"] = "disabled:"
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let pid = process.processIdentifier
        // Only a group of its own may be killed whole (never the test runner's).
        let group = getpgid(pid) == pid ? -pid : pid
        do {
            try await WebDriver.waitUntilReady(port: port, timeout: timeout)
            let driver = try await WebDriver.start(port: port, chromium: chromium, arguments: [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--no-first-run", "--disable-crash-reporter", "--disable-extensions", "--mute-audio",
                "--window-size=1280,1000", "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
            ], timeout: timeout)
            return HeadlessChromium(driver: driver, group: group, folder: folder)
        } catch {
            Self.kill(group: group)
            throw error
        }
    }

    /// Ends the session politely (bounded), then kills the whole process group.
    func stop() async {
        await driver.quit()
        Self.kill(group: group)
    }

    /// `target` is `-group` or a lone pid.
    private static func kill(group target: pid_t) {
        _ = Foundation.kill(target, SIGKILL)
    }
}
