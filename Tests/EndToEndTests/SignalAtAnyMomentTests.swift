import Foundation
import PipelineTesting
import Testing

/// SIGTERM at a random moment in the first two seconds of every service — startup
/// included (lexicon loading, MongoDB preparation, port binding, first reads): each exits
/// 0 by `exit`, never by the signal, and logs nothing at `error` or above.
///
/// "Start" is the moment the executable's first instruction installed its signal
/// handling (`SigCgt` in /proc): before that only the dynamic loader runs, and no
/// program can catch a signal. The moment is random on purpose; a failure prints it.
@Suite(.serialized, .timeLimit(.minutes(10))) struct SignalAtAnyMomentTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var executable: String
        var arguments: @Sendable (_ uri: String, _ feed: URL, _ folder: URL) -> [String]
        var testDescription: String { executable }
    }

    static let cases: [Case] = [
        Case(executable: "listener") { uri, feed, folder in
            ["--replay", feed.path, "--speed", "max", "--keyword", "coffee", "--mongo", uri,
             "--database", "signals_\(UUID().uuidString.prefix(8))", "--state-dir", folder.path]
        },
        Case(executable: "consumer") { uri, _, _ in
            ["--mongo", uri, "--database", "signals_\(UUID().uuidString.prefix(8))", "--engine", "hybrid"]
        },
        Case(executable: "dashboard") { _, _, _ in ["--demo", "--port", "0"] },
        Case(executable: "pipeline") { _, feed, folder in
            ["--replay", feed.path, "--keyword", "coffee", "--port", "0", "--state-dir", folder.path]
        },
        Case(executable: "stream-sim") { _, feed, _ in ["--archive", feed.path, "--port", "0"] },
    ]

    @Test(arguments: cases)
    func sigtermAtARandomMomentExitsZeroWithoutErrors(_ service: Case) async throws {
        let uri = try TestEnvironment.requireMongoURI()
        let folder = try TestFeed.folder()
        let feed = try TestFeed.write(count: 20_000, to: folder).url
        for round in 0..<3 {
            let delay = Duration.milliseconds(Int.random(in: 0...2_000))
            let child = try ChildProcess(TestEnvironment.executable(service.executable),
                                         service.arguments(uri, feed, folder))
            let catching = await child.waitUntilCatching(SIGTERM)
            try #require(catching, "\(service.executable) never installed its SIGTERM handling")
            try await Task.sleep(for: delay)
            child.terminate()
            let run = await child.waitForExit()
            let label = "\(service.executable), round \(round), SIGTERM \(delay) after start"
            #expect(child.exitedNormally, "\(label): ended by a signal")
            #expect(run.status == 0, "\(label): exit \(run.status): \(run.stderr.suffix(800))")
            let loud = run.stderr.split(separator: "\n").filter(Self.isErrorLine)
            #expect(loud.isEmpty, "\(label): \(loud.joined(separator: "\n"))")
        }
    }

    /// A swift-log line at error or critical (`TIMESTAMP LEVEL label: …`), or an
    /// unhandled-error line of the argument parser.
    static func isErrorLine(_ line: Substring) -> Bool {
        let words = line.split(separator: " ", maxSplits: 2)
        if words.count > 1, words[1] == "error" || words[1] == "critical" { return true }
        return line.hasPrefix("Error:") || line.contains(": error:")
    }
}
