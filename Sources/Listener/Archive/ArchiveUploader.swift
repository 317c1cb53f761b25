import Foundation
import Logging
import ObjectStorage
import PipelineModel
import ServiceLifecycle

/// Moves complete archive files from the staging folder to object storage: each is
/// uploaded (multipart when large), verified, and only then deleted locally, oldest
/// first. While the store fails, files stay staged and the uploader waits with a
/// doubling back-off; whatever is staged at a start (left by a run that could not upload
/// it) goes first. At graceful shutdown — after the stream, listed after it in the
/// service group, has closed its last file — it makes one more pass.
public struct ArchiveUploader: Service {
    /// Tunables.
    public struct Configuration: Sendable {
        /// Key prefix (empty or ending in `/`).
        public var prefix: String
        /// How often the folder is looked at while uploads succeed.
        public var pollInterval: Duration = .seconds(2)
        /// Waits after consecutive failures.
        public var backoff = Backoff.doubling(initial: .seconds(1), maximum: .seconds(60))
        /// Files uploaded at once when several are staged (after an outage): one file's
        /// hashing (when its digests were not kept from writing), or the store assembling
        /// its parts, overlaps the next one's transfer (`bench archive`).
        public var filesInFlight = 2

        /// Objects under `prefix`.
        public init(prefix: String) { self.prefix = prefix }
    }

    private let staging: ArchiveStaging
    private let store: ObjectStore
    private let configuration: Configuration
    private let logger: Logger

    /// An uploader of `staging`'s files into `store`.
    public init(staging: ArchiveStaging, store: ObjectStore, configuration: Configuration, logger: Logger) {
        self.staging = staging
        self.store = store
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        // Refused credentials or a missing bucket end the run at once, as one line; an
        // unreachable store does not: the stream goes on and files wait in staging.
        do { try await store.checkAccess(prefix: configuration.prefix) } catch let error as ObjectStoreError where !error.isTransient {
            throw ListenerError.configuration("--archive: \(error)")
        } catch {
            logger.warning("the archive's object store is unreachable; files are staged until it answers",
                           metadata: ["bucket": "\(store.bucket)", "error": "\(error)"])
        }
        var backoff = configuration.backoff
        var failing = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let wait: Duration
            do {
                try await uploadStaged()
                if failing { logger.notice("archive uploads resumed", metadata: ["bucket": "\(store.bucket)"]) }
                failing = false
                backoff.reset()
                wait = configuration.pollInterval
            } catch {
                // One warning per outage, then debug lines: a long outage is not a log flood.
                if !failing {
                    logger.warning("archive upload failed; files stay staged and are retried", metadata: [
                        "error": "\(error)", "staged_files": "\(staging.completedFiles().count)",
                    ])
                } else {
                    logger.debug("archive upload failed again", metadata: ["error": "\(error)"])
                }
                failing = true
                wait = backoff.next()
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
        }
        do { try await uploadStaged() } catch {
            logger.warning("archive files stay staged; they are uploaded on the next start", metadata: [
                "staging": "\(staging.directory.path)", "files": "\(staging.completedFiles().count)", "error": "\(error)",
            ])
        }
    }

    /// Uploads every complete staged file, oldest first and `filesInFlight` at a time,
    /// deleting each once verified; throws at the first failure (the rest wait for the
    /// next pass). A file is deleted only after its own upload was verified, whatever
    /// happens to the others, and its key follows from its name: a file whose upload was
    /// interrupted is sent again under the same key.
    public func uploadStaged() async throws {
        let files = staging.completedFiles()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, file) in files.enumerated() {
                // Hashing one file at a time, here, while the earlier ones are being sent:
                // the two overlap instead of taking turns.
                let prepared = try await store.prepareUpload(file: file, digests: staging.digests(of: file))
                if index >= max(1, configuration.filesInFlight) { try await group.next() }
                group.addTask { try await upload(prepared) }
            }
            try await group.waitForAll()
        }
        staging.rescan()
    }

    /// Uploads one staged file and deletes it once the store holds it, verified.
    private func upload(_ prepared: ObjectStore.PreparedUpload) async throws {
        let file = prepared.file
        let key = ArchiveObjectName.key(forFile: file.lastPathComponent, prefix: configuration.prefix)
        let receipt: ObjectStore.Receipt
        do {
            receipt = try await store.upload(prepared, key: key)
        } catch let error as ObjectStoreError where error.isDigestMismatch && prepared.digestsGiven {
            // The digests kept from writing do not match the file: hash it on the next pass.
            staging.forgetDigests(of: file)
            throw error
        }
        staging.remove(file)
        logger.debug("archive file uploaded", metadata: [
            "key": "\(receipt.key)", "bytes": "\(receipt.size)", "parts": "\(receipt.parts)",
        ])
    }
}
