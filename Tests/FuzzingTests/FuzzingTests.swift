import Fuzzing
import Testing

/// Every fuzz harness for a bounded number of inputs, as CI runs them (a longer run:
/// `swift run -c release fuzz --iterations 1000000 --seed N`, docs/security.md).
@Suite struct FuzzingTests {
    /// Inputs per harness in CI: a few seconds each in a debug build. libmongoc logs every
    /// URI it refuses, so that harness runs fewer here.
    static let iterations: [String: Int] = [
        "stream-message": 20_000, "line-framer": 20_000, "spill-file": 3_000, "model-file": 10_000, "corpus": 20_000,
        "rule-parser": 20_000, "dashboard-query": 3_000, "mongo-uri": 1_500,
    ]

    @Test(.timeLimit(.minutes(2)), arguments: FuzzHarnesses.names)
    func harnessFindsNothing(name: String) async throws {
        var harness = try FuzzHarnesses.make(name)
        let iterations = try #require(Self.iterations[name])
        do {
            try await FuzzCampaign(seed: 2026).run(&harness, iterations: 0..<iterations)
        } catch let finding as FuzzFinding {
            Issue.record("\(finding)")
        }
    }

    /// A harness whose invariant breaks on some mutations: the campaign must say which input.
    struct NoNULHarness: FuzzHarness {
        let name = "no-nul"
        let seeds = [Array("plain text".utf8)]
        mutating func check(_ input: [UInt8]) async throws {
            if input.contains(0) { throw FuzzFailure("a NUL byte") }
        }
    }

    @Test func aBrokenInvariantIsAReproducibleFinding() async throws {
        var harness = NoNULHarness()
        let campaign = FuzzCampaign(seed: 3)
        let finding = try await #require(throws: FuzzFinding.self) {
            try await campaign.run(&harness, iterations: 0..<10_000)
        }
        #expect(finding.input.contains(0))
        #expect(campaign.input(finding.iteration, for: harness) == finding.input)
        #expect((0..<finding.iteration).allSatisfy { !campaign.input($0, for: harness).contains(0) })
        #expect(finding.description.hasSuffix("(reproduce: fuzz --target no-nul --seed 3 --iteration \(finding.iteration))"))
    }

    @Test func inputsAreReproducibleAndMutated() throws {
        let harness = try FuzzHarnesses.make("line-framer")
        let campaign = FuzzCampaign(seed: 7)
        let inputs = (0..<200).map { campaign.input($0, for: harness) }
        #expect(inputs == (0..<200).map { campaign.input($0, for: harness) })
        #expect(inputs.filter { !harness.seeds.contains($0) }.count > 150, "most inputs are mutated")
        #expect(inputs.allSatisfy { $0.count <= harness.maxLength })
    }
}
