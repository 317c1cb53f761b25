import Foundation
import Synchronization

/// Writes raw stream messages exactly as received, one per line, into rotating files.
///
/// Line format (what `ArchiveRecord` reads back): the receive time in UTC with
/// milliseconds, a tab, then the message bytes untouched:
/// `2026-11-29T20:52:18.123Z\t{"data":{…},"matching_rules":[…]}`. Heartbeats are not
/// archived. Files are named `stream-YYYYMMDDTHHMMSSZ[-N].jsonl[.gz]` and rotate when
/// the hour changes or after `maximumBytes` of raw data. Each file is one
/// `ArchiveFileOutput` (gzip or plain); a file bound for object storage is hashed as it is
/// written and its digests kept beside it in staging, so the upload does not read it twice.
///
/// All state sits behind one `Mutex`, so a writer may be handed to the listener's task
/// from the executable.
public final class ArchiveWriter: Sendable {
    /// Tunables.
    public struct Configuration: Sendable {
        /// Folder of the archive files.
        public var directory: URL
        /// Compress with gzip.
        public var gzip = false
        /// Rotate after this many raw bytes.
        public var maximumBytes = 64 << 20
        /// Rotate when the UTC hour changes.
        public var rotateHourly = true
        /// Set when the files go on to object storage: they are then named
        /// `ArchiveObjectName.fileName(…)`, written as `.part` and renamed when complete,
        /// and a line the staging folder has no room for is not written.
        public var staging: ArchiveStaging?
        /// The host name in staged file names.
        public var host = ArchiveObjectName.sanitizedHost(ProcessInfo.processInfo.hostName)

        /// Creates a configuration for `directory`.
        public init(directory: URL) { self.directory = directory }
    }

    private let configuration: Configuration
    private let state: Mutex<State>

    /// Files written so far, oldest first.
    public var files: [URL] { state.withLock { $0.writtenFiles } }

    /// Creates the folder if needed; the first file opens with the first message.
    public init(configuration: Configuration) throws {
        self.configuration = configuration
        state = Mutex(State(configuration: configuration))
        do {
            try FileManager.default.createDirectory(at: configuration.directory, withIntermediateDirectories: true)
        } catch {
            throw ListenerError.configuration("cannot create the archive folder \(configuration.directory.path)")
        }
    }

    deinit { state.withLock { $0.closeFile() } }

    /// Appends one message received at `time`.
    public func write(_ line: UnsafeRawBufferPointer, receivedAt time: Date) throws {
        try state.withLock { state throws in try state.write(line, receivedAt: time) }
    }

    /// Convenience for arrays.
    public func write(_ line: [UInt8], receivedAt time: Date) throws {
        try line.withUnsafeBytes { try write($0, receivedAt: time) }
    }

    /// Flushes and closes the current file.
    public func close() {
        state.withLock { $0.closeFile() }
    }

    /// The open file and where rotation stands. `@unchecked Sendable` only because the
    /// output holds C state: the state lives in `state` and is only touched under it.
    private struct State: @unchecked Sendable {
        let configuration: Configuration
        var file: ArchiveFileOutput?
        var bytesInFile = 0
        var fileHour = -1
        var writtenFiles: [URL] = []

        init(configuration: Configuration) { self.configuration = configuration }

        mutating func write(_ line: UnsafeRawBufferPointer, receivedAt time: Date) throws {
            if let staging = configuration.staging, !staging.admit(line.count + 26) { return }
            let hour = Int(time.timeIntervalSince1970 / 3600)
            if file == nil || bytesInFile >= configuration.maximumBytes || (configuration.rotateHourly && hour != fileHour) {
                try rotate(at: time, hour: hour)
            }
            var prefix = Array(Timestamp.format(time).utf8)
            prefix.append(9)
            try prefix.withUnsafeBytes { try put($0) }
            try put(line)
            try [UInt8(10)].withUnsafeBytes { try put($0) }
            bytesInFile += prefix.count + line.count + 1
        }

        mutating func closeFile() {
            guard let file else { return }
            self.file = nil
            // A file that cannot be finished keeps what reached the disk; staged, its upload
            // then hashes it itself (no digests are kept).
            let digests = try? file.finish()
            // A staged file is complete once closed: dropping `.part` hands it to the uploader.
            if let staging = configuration.staging, let last = writtenFiles.last, last.path.hasSuffix(ArchiveStaging.partSuffix) {
                let complete = URL(fileURLWithPath: String(last.path.dropLast(ArchiveStaging.partSuffix.count)))
                if let digests { staging.keepDigests(digests, size: file.fileBytes, of: complete) }
                try? FileManager.default.moveItem(at: last, to: complete)
                writtenFiles[writtenFiles.count - 1] = complete
            }
        }

        private func put(_ bytes: UnsafeRawBufferPointer) throws {
            guard let file else { throw ListenerError.fatal("no archive file is open") }
            try file.write(bytes)
        }

        private mutating func rotate(at time: Date, hour: Int) throws {
            closeFile()
            let stamp = Timestamp.format(time).prefix(19).replacingOccurrences(of: "-", with: "")
                .replacingOccurrences(of: ":", with: "")
            let suffix = configuration.gzip ? ".jsonl.gz" : ".jsonl"
            if let staging = configuration.staging {
                let name = ArchiveObjectName.fileName(openedAt: time, host: configuration.host,
                                                      sequence: staging.takeSequence(), gzip: configuration.gzip)
                try open(configuration.directory.appendingPathComponent(name + ArchiveStaging.partSuffix), hour: hour)
                return
            }
            var url = configuration.directory.appendingPathComponent("stream-\(stamp)Z\(suffix)")
            var counter = 1
            while FileManager.default.fileExists(atPath: url.path) {
                url = configuration.directory.appendingPathComponent("stream-\(stamp)Z-\(counter)\(suffix)")
                counter += 1
            }
            try open(url, hour: hour)
        }

        private mutating func open(_ url: URL, hour: Int) throws {
            file = try ArchiveFileOutput(url: url, gzip: configuration.gzip, hashing: configuration.staging != nil)
            writtenFiles.append(url)
            bytesInFile = 0
            fileHour = hour
        }
    }
}
