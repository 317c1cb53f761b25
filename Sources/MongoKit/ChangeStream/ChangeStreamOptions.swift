/// Options of ``MongoCollection/watch(_:options:)``.
public struct ChangeStreamOptions: Sendable {
    /// Resume after this token (an event's ``ChangeEvent/resumeToken`` or a stream's
    /// ``ChangeStream/resumeToken``): events after it are delivered again.
    public var resumeAfter: BSONDocument?
    /// Like `resumeAfter`, but also valid after an invalidate event.
    public var startAfter: BSONDocument?
    /// With true, update events carry the whole current document (`updateLookup`).
    public var fullDocumentOnUpdate: Bool
    /// How long one server round trip waits for new events. Cancellation is noticed
    /// between round trips, so keep it short.
    public var maxAwaitTime: Duration
    /// Events per round trip.
    public var batchSize: Int?

    /// Options; defaults: no resume, no update lookup, 500 ms polls.
    public init(resumeAfter: BSONDocument? = nil, startAfter: BSONDocument? = nil,
                fullDocumentOnUpdate: Bool = false, maxAwaitTime: Duration = .milliseconds(500),
                batchSize: Int? = nil) {
        self.resumeAfter = resumeAfter
        self.startAfter = startAfter
        self.fullDocumentOnUpdate = fullDocumentOnUpdate
        self.maxAwaitTime = maxAwaitTime
        self.batchSize = batchSize
    }

    var document: BSONDocument {
        var document = BSONDocument()
        if let resumeAfter { document.append("resumeAfter", .document(resumeAfter)) }
        if let startAfter { document.append("startAfter", .document(startAfter)) }
        if fullDocumentOnUpdate { document.append("fullDocument", "updateLookup") }
        let (seconds, attoseconds) = maxAwaitTime.components
        document.append("maxAwaitTimeMS", .int64(max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)))
        if let batchSize { document.append("batchSize", .int(batchSize)) }
        return document
    }
}
