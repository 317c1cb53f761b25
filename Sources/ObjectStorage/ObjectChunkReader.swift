/// Reads one object front to back in ranged GETs of `chunkSize` bytes: a replay streams
/// an archive without holding it whole, and no connection stays open while a paced
/// replay waits (hours, at `--speed 1`) between two chunks.
public final class ObjectChunkReader {
    /// The object.
    public let object: ObjectSummary
    private let store: ObjectStore
    private let chunkSize: Int64
    /// Bytes fetched so far.
    public private(set) var offset: Int64 = 0

    /// A reader of `object` in `store`.
    public init(store: ObjectStore, object: ObjectSummary, chunkSize: Int = 4 << 20) {
        self.store = store
        self.object = object
        self.chunkSize = Int64(max(1, chunkSize))
    }

    /// The next chunk; nil at the end.
    public func next() async throws -> [UInt8]? {
        guard offset < object.size else { return nil }
        let end = min(object.size, offset + chunkSize)
        let bytes = try await store.get(key: object.key, range: offset..<end)
        guard !bytes.isEmpty else {
            throw ObjectStoreError.verification("\(object.key) ended at \(offset) of \(object.size) bytes")
        }
        offset += Int64(bytes.count)
        return bytes
    }
}
