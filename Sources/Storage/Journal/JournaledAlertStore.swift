import Foundation
import Logging
import PipelineModel
import Synchronization

/// The embedded pipeline's `AlertStore`: the in-memory store, with every change appended
/// to a JSON-lines journal in the state folder (flushed to disk before the call returns)
/// and replayed when the store is opened again. An alert detected before a crash is then
/// still delivered after the restart, and a transition queued once is never queued again.
///
/// Alerts are rare (a few episodes a day), so the journal is never compacted. A line cut
/// short by a crash mid-write is skipped (counted, logged once) and the file is mended
/// before the next append.
public final class JournaledAlertStore: AlertStore {
    private enum Entry: Codable {
        case record(alert: Alert, targets: [String], now: Date)
        case delivered(AlertDelivery)
        case failed(delivery: AlertDelivery, error: String, retryAt: Date)
    }

    private let memory = InMemoryAlertStore()
    private let journal: Mutex<FileHandle>
    /// The file.
    public let url: URL
    /// Lines of the journal that could not be read when it was opened.
    public let unreadableLines: Int

    private init(url: URL, handle: FileHandle, unreadableLines: Int) {
        self.url = url
        journal = Mutex(handle)
        self.unreadableLines = unreadableLines
    }

    /// Opens (or creates) the journal at `url` and replays it.
    public static func open(_ url: URL, logger: Logger) async throws -> JournaledAlertStore {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var bytes = (try? Data(contentsOf: url)) ?? Data()
        // A torn last line (no newline): cut it off so the next append starts a line.
        if let last = bytes.last, last != 10 {
            let keep = bytes.lastIndex(of: 10).map { $0 + 1 } ?? bytes.startIndex
            bytes = bytes[bytes.startIndex..<keep]
            guard let handle = FileHandle(forUpdatingAtPath: url.path) else {
                throw AlertJournalError("cannot open the alert journal \(url.path)")
            }
            try handle.truncate(atOffset: UInt64(bytes.count))
            try handle.close()
        }
        if !FileManager.default.fileExists(atPath: url.path) {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw AlertJournalError("cannot create the alert journal \(url.path)")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: url.path) else {
            throw AlertJournalError("cannot open the alert journal \(url.path)")
        }
        try handle.seekToEnd()
        var unreadable = 0
        var entries: [Entry] = []
        let decoder = JSONDecoder()
        for line in bytes.split(separator: 10) where !line.isEmpty {
            if let entry = try? decoder.decode(Entry.self, from: line) { entries.append(entry) } else { unreadable += 1 }
        }
        let store = JournaledAlertStore(url: url, handle: handle, unreadableLines: unreadable)
        for entry in entries { try await store.apply(entry) }
        if unreadable > 0 {
            logger.warning("skipped unreadable lines of the alert journal", metadata: [
                "journal": "\(url.path)", "lines": "\(unreadable)",
            ])
        }
        return store
    }

    deinit { journal.withLock { try? $0.close() } }

    private func apply(_ entry: Entry) async throws {
        switch entry {
        case .record(let alert, let targets, let now): try await memory.record(alert, deliverTo: targets, now: now)
        case .delivered(let delivery): try await memory.markDelivered(delivery)
        case .failed(let delivery, let error, let retryAt): try await memory.markFailed(delivery, error: error, retryAt: retryAt)
        }
    }

    /// Appends `entry` and waits for the disk, then applies it in memory.
    private func append(_ entry: Entry) async throws {
        var line = try JSONEncoder().encode(entry)
        line.append(10)
        try journal.withLock { handle in
            try handle.write(contentsOf: line)
            try handle.synchronize()
        }
        try await apply(entry)
    }

    public func record(_ alert: Alert, deliverTo targets: [String], now: Date) async throws {
        try await append(.record(alert: alert, targets: targets, now: now))
    }

    public func alerts(in range: DateInterval, keyword: String?) async throws -> [Alert] {
        try await memory.alerts(in: range, keyword: keyword)
    }

    public func dueDeliveries(at now: Date, limit: Int) async throws -> [AlertDelivery] {
        try await memory.dueDeliveries(at: now, limit: limit)
    }

    public func pendingDeliveries() async throws -> Int {
        try await memory.pendingDeliveries()
    }

    public func markDelivered(_ delivery: AlertDelivery) async throws {
        try await append(.delivered(delivery))
    }

    public func markFailed(_ delivery: AlertDelivery, error: String, retryAt: Date) async throws {
        try await append(.failed(delivery: delivery, error: error, retryAt: retryAt))
    }
}
