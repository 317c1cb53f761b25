import PipelineModel

/// Records a scored batch and acknowledges the leases it was claimed under: the last step
/// of a consumer's work on a batch.
///
/// Where the store and the queue share a database, both happen in one transaction, so
/// there is no moment at which a batch is recorded but still queued (`MongoBatchRecorder`):
/// if a lease was lost meanwhile (it expired and another worker holds the batch), nothing
/// is recorded and `LeaseLost` is thrown. Elsewhere (`SequentialBatchRecorder`) the batch
/// is recorded, then acknowledged, and the store's exactly-once by post id covers a
/// redelivery in between.
public protocol BatchRecorder: Sendable {
    /// Records `posts` (scored from `leases`) and acknowledges `leases`.
    func record(_ posts: [ScoredPost], acknowledging leases: [QueueLease]) async throws -> RecordOutcome
}

/// A lease of the batch expired and another worker claimed it: this worker's result was
/// not recorded (the other worker's will be).
public struct LeaseLost: Error, CustomStringConvertible {
    public init() {}

    public var description: String { "the batch's lease expired and another worker claimed it" }
}

/// The posts were recorded, but acknowledging them failed: they will be redelivered when
/// their leases expire, and the store will recognise them as duplicates.
public struct RecordedButNotAcknowledged: Error, CustomStringConvertible {
    /// What recording did.
    public var outcome: RecordOutcome
    /// Why acknowledging failed.
    public var underlying: any Error

    public init(outcome: RecordOutcome, underlying: any Error) {
        self.outcome = outcome
        self.underlying = underlying
    }

    public var description: String { "recorded, but acknowledging failed: \(underlying)" }
}
