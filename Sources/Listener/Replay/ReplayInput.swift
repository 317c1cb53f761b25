import Foundation
import ObjectStorage

/// One archive a replay reads: a local file, or an object in an S3-compatible bucket
/// (streamed in ranges, decompressed on the fly).
public enum ReplayInput: Sendable {
    /// A file (plain or `.gz`).
    case file(URL)
    /// An object of `store`.
    case object(ObjectStore, ObjectSummary)

    /// The path or `s3://bucket/key`, for messages.
    public var name: String {
        switch self {
        case .file(let url): url.path
        case .object(let store, let object): "s3://\(store.bucket)/\(object.key)"
        }
    }

    /// Opens the reader.
    func open() throws -> ReplayReader {
        switch self {
        case .file(let url): try ReplayReader(url: url)
        case .object(let store, let object): try ReplayReader(object: ObjectChunkReader(store: store, object: object))
        }
    }

    /// The archive objects under `location`, in time order (the names sort by time),
    /// those whose name's time lies in `from..<to` when given. Names without a time are
    /// replayed too when no bound is set.
    public static func objects(in location: ObjectLocation, store: ObjectStore,
                               from: Date? = nil, to: Date? = nil) async throws -> [ReplayInput] {
        let listed = try await store.list(prefix: location.prefix)
        return listed.filter { object in
            guard from != nil || to != nil else { return !object.key.hasSuffix("/") }
            guard let time = ArchiveObjectName.time(of: object.key) else { return false }
            return (from.map { time >= $0 } ?? true) && (to.map { time < $0 } ?? true)
        }
        .sorted { ($0.key.split(separator: "/").last ?? "", $0.key) < ($1.key.split(separator: "/").last ?? "", $1.key) }
        .map { .object(store, $0) }
    }
}
