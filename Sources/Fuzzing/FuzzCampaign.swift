import PipelineModel
import Sentiment

/// Runs a harness over mutated inputs for a fixed number of iterations. Input `i` of a
/// campaign depends only on the harness name, the campaign seed and `i`, so any finding is
/// reproduced by `fuzz --target NAME --seed S --iteration I`.
public struct FuzzCampaign {
    /// Seed of the whole campaign.
    public var seed: UInt64
    /// Inputs per batch (see `FuzzHarness.check(batch:)`).
    public var batchSize = 64

    /// A campaign with `seed`.
    public init(seed: UInt64) { self.seed = seed }

    /// Input number `iteration` for `harness`.
    public func input(_ iteration: Int, for harness: some FuzzHarness) -> [UInt8] {
        var random = SplitMix64(seed: seed ^ Self.hash(harness.name) ^ (UInt64(iteration) &* 0x9E37_79B9_7F4A_7C15))
        return Mutator(seeds: harness.seeds, maxLength: harness.maxLength).input(using: &random)
    }

    /// Runs iterations `range`; `starting` is told each batch's first iteration before it
    /// runs (so a crash can be located). Throws `FuzzFinding` for a broken invariant.
    public func run<H: FuzzHarness>(_ harness: inout H, iterations range: Range<Int>,
                                    starting: (Range<Int>) -> Void = { _ in }) async throws {
        var start = range.lowerBound
        while start < range.upperBound {
            let batch = start..<min(range.upperBound, start + batchSize)
            starting(batch)
            let inputs = batch.map { input($0, for: harness) }
            do {
                try await harness.check(batch: inputs)
            } catch let failure as FuzzFailure {
                let index = failure.batchIndex ?? 0
                throw FuzzFinding(harness: harness.name, seed: seed, iteration: batch.lowerBound + index,
                                  input: inputs[index], reason: failure.reason)
            }
            start = batch.upperBound
        }
    }

    /// FNV-1a of `name`: stable across runs and platforms, unlike `Hasher`.
    static func hash(_ name: String) -> UInt64 {
        name.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}

/// An input that broke a harness's invariant, with what reproduces it.
public struct FuzzFinding: Error, CustomStringConvertible {
    /// The harness.
    public var harness: String
    /// Campaign seed.
    public var seed: UInt64
    /// Iteration of the input.
    public var iteration: Int
    /// The input.
    public var input: [UInt8]
    /// The broken invariant.
    public var reason: String

    public var description: String {
        "\(harness): \(reason) (reproduce: fuzz --target \(harness) --seed \(seed) --iteration \(iteration))"
    }
}
