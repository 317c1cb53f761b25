import Foundation
import PipelineTesting
import Testing

/// Issue 14 through the executables: what a careless operator's settings produce.
@Suite struct HardeningEndToEndTests {
    let workspace: URL

    init() throws {
        workspace = FileManager.default.temporaryDirectory.appendingPathComponent("hardening-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
    }

    func emptyFeed() throws -> String {
        let feed = workspace.appendingPathComponent("feed.jsonl")
        try Data().write(to: feed)
        return feed.path
    }

    /// Row 4: the Kubernetes placeholder and whitespace tokens stop `pipeline` before it serves.
    @Test(.timeLimit(.minutes(2)), arguments: ["replace-me", "        "])
    func pipelineRefusesAPlaceholderDashboardToken(token: String) async throws {
        let run = try await ChildProcess.run(TestEnvironment.executable("pipeline"), [
            "--replay", try emptyFeed(), "--keyword", "x", "--host", "0.0.0.0", "--port", "0", "--exit-when-done",
            "--spill", workspace.appendingPathComponent("spill.jsonl").path,
        ], environment: ["DASHBOARD_TOKEN": token, "MONGODB_URI": ""])
        #expect(run.status == 2, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.last?.hasSuffix("generate one with: openssl rand -hex 24") == true, "\(run.stderr)")
        #expect(!run.stderr.contains("replace-me"))
    }

    /// Row 1: an unparsable URI is one line without the password and exit 2, from the
    /// flag or the environment.
    @Test(.timeLimit(.minutes(2)), arguments: ["consumer", "pipeline"])
    func anUnparsableMongoURIIsOneLineWithoutThePassword(executable: String) async throws {
        let uri = "mongodb://admin:pa/S3cret@db.invalid/sentiment"
        var arguments = executable == "pipeline"
            ? ["--replay", try emptyFeed(), "--keyword", "x", "--port", "0", "--exit-when-done",
               "--spill", workspace.appendingPathComponent("spill.jsonl").path]
            : []
        for viaEnvironment in [false, true] {
            if !viaEnvironment { arguments += ["--mongo", uri] } else { arguments.removeLast(2) }
            let run = try await ChildProcess.run(TestEnvironment.executable(executable), arguments,
                                                 environment: viaEnvironment ? ["MONGODB_URI": uri] : ["MONGODB_URI": ""])
            #expect(run.status == 2, "\(executable): \(run.stderr)")
            #expect(run.stderr.split(separator: "\n").last.map(String.init)
                == "\(executable): error: --mongo mongodb://***@db.invalid/sentiment is not a valid MongoDB URI "
                + "(percent-encode @ : / ? # [ ] % in the user name and password)", "\(run.stderr)")
            #expect(!run.stderr.contains("S3cret"))
        }
    }

    /// Row 1: a `?` in the password used to push the timeouts into the database name, so
    /// an unreachable server held `pipeline` for libmongoc's 30 s default, and the error
    /// printed the password. Now the line shows `***` (MongoURITests checks the timeouts
    /// are options, which is what makes the failure prompt).
    @Test(.timeLimit(.minutes(2)))
    func aQuestionMarkInThePasswordFailsPromptlyWithoutLeakingIt() async throws {
        let uri = "mongodb://admin:pa?S3cret@127.0.0.1:1/sentiment"
        let run = try await ChildProcess.run(TestEnvironment.executable("pipeline"), [
            "--replay", try emptyFeed(), "--keyword", "x", "--port", "0", "--exit-when-done", "--mongo", uri,
            "--spill", workspace.appendingPathComponent("spill.jsonl").path,
        ], environment: ["MONGODB_URI": ""])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(!run.stderr.contains("S3cret"), "\(run.stderr)")
        #expect(run.stderr.contains("***"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
    }
}
