/// One change delivered by a ``ChangeStream``.
public struct ChangeEvent: Sendable {
    /// `insert`, `update`, `replace`, `delete`, `drop`, `invalidate`, …
    public var operationType: String
    /// The changed document's `_id` (as `{_id: …}`).
    public var documentKey: BSONDocument?
    /// The inserted/replaced document (or the updated one with update lookup).
    public var fullDocument: BSONDocument?
    /// Fields set and removed by an update.
    public var updateDescription: BSONDocument?
    /// Token to resume right after this event.
    public var resumeToken: BSONDocument
    /// The whole event as the server sent it.
    public var raw: BSONDocument

    init(_ raw: BSONDocument) {
        self.raw = raw
        operationType = raw["operationType"]?.stringValue ?? "unknown"
        documentKey = raw["documentKey"]?.documentValue
        fullDocument = raw["fullDocument"]?.documentValue
        updateDescription = raw["updateDescription"]?.documentValue
        resumeToken = raw["_id"]?.documentValue ?? BSONDocument()
    }

    /// The full document decoded as `T`, if the event has one.
    public func fullDocument<T: Decodable>(as type: T.Type) throws -> T? {
        try fullDocument.map { try BSONDecoder().decode(type, from: $0) }
    }
}
