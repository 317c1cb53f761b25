import Foundation
import PipelineTesting
import Testing

/// `fuzz` as contributors run it: every harness briefly, one input replayed and saved.
@Suite(.serialized, .timeLimit(.minutes(5))) struct FuzzCommandTests {
    @Test func shortCampaignOverEveryHarnessFindsNothing() async throws {
        let run = try await ChildProcess.run(TestEnvironment.executable("fuzz"), [
            "--iterations", "40", "--seed", "11", "--verbose",
        ])
        #expect(run.status == 0, "\(run.stdout.suffix(800)) \(run.stderr.suffix(800))")
        for harness in ["stream-message", "line-framer", "spill-file", "model-file", "corpus", "rule-parser",
                        "dashboard-query", "mongo-uri"] {
            #expect(run.stdout.contains(harness), "\(harness) did not run: \(run.stdout.suffix(500))")
        }
    }

    @Test func oneInputIsReplayedAndWritten() async throws {
        let folder = try TestFeed.folder()
        let input = folder.appendingPathComponent("input.bin")
        let run = try await ChildProcess.run(TestEnvironment.executable("fuzz"), [
            "--target", "line-framer", "--seed", "5", "--iteration", "7", "--write-input", input.path,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: input.path))
        let again = try await ChildProcess.run(TestEnvironment.executable("fuzz"), [
            "--target", "line-framer", "--seed", "5", "--iteration", "7",
        ])
        #expect(again.status == 0, "\(again.stderr)")
    }
}
