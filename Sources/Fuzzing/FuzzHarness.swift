/// One fuzzed input reader: valid seed inputs, and a check that feeds it one input and
/// throws `FuzzFailure` when an invariant breaks. Crashes and hangs are failures too; the
/// campaign cannot catch those, so it names the iteration before running it.
public protocol FuzzHarness {
    /// Short name, used on the command line (`line-framer`).
    var name: String { get }
    /// Valid inputs to mutate.
    var seeds: [[UInt8]] { get }
    /// Longest input generated.
    var maxLength: Int { get }
    /// Checks a batch of inputs in order; the default checks them one by one. Harnesses
    /// with costly setup (a server) override it to set up once per batch.
    mutating func check(batch: [[UInt8]]) async throws
    /// Checks one input.
    mutating func check(_ input: [UInt8]) async throws
}

extension FuzzHarness {
    /// 64 KiB: room for deep nesting and long lines, small enough to stay fast.
    public var maxLength: Int { 64 * 1024 }

    public mutating func check(batch: [[UInt8]]) async throws {
        for (index, input) in batch.enumerated() {
            do {
                try await check(input)
            } catch var failure as FuzzFailure {
                failure.batchIndex = index
                throw failure
            }
        }
    }
}

/// A broken invariant.
public struct FuzzFailure: Error, CustomStringConvertible {
    /// What went wrong.
    public var reason: String
    /// Which input of the batch, when known.
    public var batchIndex: Int?

    /// A failure with its reason.
    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}

/// Throws `FuzzFailure(reason())` unless `condition` holds.
@inline(__always)
func invariant(_ condition: Bool, _ reason: @autoclosure () -> String) throws {
    if !condition { throw FuzzFailure(reason()) }
}
