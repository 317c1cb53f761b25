import Foundation
import Testing
@testable import Listener

/// The secrets policy for the bearer token (issue 14, row 7).
@Suite struct BearerTokenTests {
    func tokenFile(_ content: String, mode: Int) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("token-\(UUID())").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(content.utf8)))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test(arguments: ["abc\r\nX-Injected: 1", "abc\nX-Injected: 1", "abc\u{0}def", "abc\u{1B}[2J"])
    func controlCharactersAreRefusedWithoutEchoingTheToken(content: String) throws {
        let path = try tokenFile(content + "\n", mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for source in [(file: path as String?, environment: [String: String]()),
                       (file: nil, environment: ["X_BEARER_TOKEN": content])] {
            let error = try #require(throws: ListenerError.self) {
                try BearerToken.load(file: source.file, environment: source.environment, logger: CapturedLog().logger)
            }
            #expect(error.description.contains("control character"))
            #expect(!error.description.contains("abc") && !error.description.contains("Injected"))
            #expect(!error.description.contains("\n"))
        }
        #expect(BearerToken(content) == nil)
    }

    @Test func aTrailingNewlineIsNotAControlCharacter() throws {
        let path = try tokenFile("abc-123\r\n", mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = CapturedLog()
        let token = try BearerToken.load(file: path, environment: [:], logger: log.logger)
        #expect(token.secret == "abc-123")
        #expect(log.lines.isEmpty, "mode 0600: no warning")
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o444])
    func readableByOthersIsAWarning(mode: Int) throws {
        let path = try tokenFile("s3cret-value\n", mode: mode)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = CapturedLog()
        let token = try BearerToken.load(file: path, environment: [:], logger: log.logger)
        #expect(token.secret == "s3cret-value")
        #expect(log.lines.count == 1)
        #expect(log.lines.first?.level == .warning)
        let line = try #require(log.lines.first?.message)
        #expect(line.contains("readable by group or others") && line.contains("chmod 600"))
        #expect(!line.contains("s3cret-value"))
    }

    @Test(arguments: [0o664, 0o646, 0o666, 0o620])
    func writableByOthersIsRefused(mode: Int) throws {
        let path = try tokenFile("s3cret-value\n", mode: mode)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = try #require(throws: ListenerError.self) {
            try BearerToken.load(file: path, environment: [:], logger: CapturedLog().logger)
        }
        #expect(error.description.contains("writable by group or others"))
        #expect(!error.description.contains("s3cret-value"))
    }

    @Test func clearTextIsWarnedAboutOffLoopbackOnly() {
        let warning = BearerToken.clearTextWarning(apiBase: "http://user:pw@api.example.com:8080/x")
        #expect(warning == "--api-base http://api.example.com is plain http: the bearer token crosses the network unencrypted")
        #expect(BearerToken.clearTextWarning(apiBase: "HTTP://10.0.0.5") != nil)
        for quiet in ["https://api.x.com", "http://127.0.0.1:9999", "http://localhost:80", "http://[::1]:8080", "https://10.0.0.5"] {
            #expect(BearerToken.clearTextWarning(apiBase: quiet) == nil, "\(quiet)")
        }
    }
}
