import ArgumentParser
import Wiring
import Foundation
import Fuzzing
import Logging

/// `fuzz`: seeded random-mutation fuzzing of every reader of outside input (issue 14).
@main
struct FuzzCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Fuzz the stream decoder, line framer, spill file, model file, corpus, rule and URI parsers and the dashboard's query parameters.",
        discussion: """
        Each input is a valid seed with a few mutations (bit flips, truncation, splicing, \
        huge numbers, deep nesting, NUL bytes, invalid UTF-8), fixed by --seed and the \
        iteration number. A broken invariant prints the line that reproduces it and exits 1. \
        A crash or hang cannot be caught: the last `batch` line printed with --verbose names \
        the iterations to replay one by one with --iteration.
        """)

    @Option(help: "Harness to run (repeatable; default all): \(FuzzHarnesses.names.joined(separator: ", ")).")
    var target: [String] = []

    @Option(help: "Inputs per harness.")
    var iterations = 10_000

    @Option(help: "Campaign seed (a different seed, different inputs).")
    var seed: UInt64 = 1

    @Option(help: "Run only this input (reproduces a finding); with --write-input, save it instead.")
    var iteration: Int?

    @Option(help: "With --iteration: write that input to this file.")
    var writeInput: String?

    @Flag(help: "Print each batch's iterations before running it (to locate a crash).")
    var verbose = false

    func run() async throws {
        // libmongoc and the dashboard log every refused input; thousands of lines hide the result.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .warning : .critical
            return handler
        }
        try await CommandFailure.reporting(command: "fuzz", describe: { ($0 as? FuzzFailure)?.reason }) {
            let names = target.isEmpty ? FuzzHarnesses.names : target
            let campaign = FuzzCampaign(seed: seed)
            var findings = 0
            for name in names {
                var harness = try FuzzHarnesses.make(name)
                if let iteration, let path = writeInput {
                    try Data(campaign.input(iteration, for: harness)).write(to: URL(fileURLWithPath: path))
                    continue
                }
                let range = iteration.map { $0..<($0 + 1) } ?? 0..<iterations
                let started = ContinuousClock.now
                do {
                    try await campaign.run(&harness, iterations: range) { batch in
                        if verbose { FileHandle.standardError.write(Data("\(name): batch \(batch.lowerBound)..<\(batch.upperBound)\n".utf8)) }
                    }
                    Console.say("\(name): \(range.count) inputs, no finding (\(ContinuousClock.now - started))")
                } catch let finding as FuzzFinding {
                    findings += 1
                    Console.say("\(finding)")
                }
            }
            if findings > 0 { throw ExitCode(1) }
        }
    }
}
