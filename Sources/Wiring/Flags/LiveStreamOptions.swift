import ArgumentParser
import Foundation
import Listener
import Logging
import ObjectStorage

/// How to follow the live X API stream: the flags `listener` and `pipeline run` take and
/// a replay does not.
public struct LiveStreamOptions: ParsableArguments, Sendable {
    /// `--api-base`.
    @Option(name: .customLong("api-base"), help: "API base URL (a stream-sim URL for demos and tests).")
    public var apiBase = "https://api.x.com"
    /// `--stall-timeout`.
    @Option(name: .customLong("stall-timeout"), help: "Reconnect after this much silence (e.g. 20s, 500ms).")
    public var stallTimeout = "20s"
    /// `--backfill-minutes`.
    @Option(name: .customLong("backfill-minutes"), help: "Ask for up to 5 minutes of missed posts on reconnect.")
    public var backfillMinutes = 0
    /// `--bearer-token-file`.
    @Option(name: .customLong("bearer-token-file"), help: "Read the bearer token from this file (default: $X_BEARER_TOKEN).")
    public var bearerTokenFile: String?
    /// `--archive`.
    @Option(help: "Raw archive of a live stream (rotating files): a folder, or s3://bucket/prefix (staged under --state-dir, uploaded, then deleted; AWS_* variables configure the store).")
    public var archive: String?
    /// `--archive-staging-limit`.
    @Option(name: .customLong("archive-staging-limit"),
            help: "With an s3:// archive: most bytes staged locally while uploads fail (e.g. 500M, 10G); past it lines are not archived.")
    public var archiveStagingLimit = "10G"
    // Hidden on purpose: the hourly / 64 MiB rotation is the documented one; tests rotate sooner.
    /// `--archive-rotate-bytes` (hidden): rotate archive files after this many raw bytes.
    @Option(name: .customLong("archive-rotate-bytes"), help: .hidden)
    public var archiveRotateBytes = 64 << 20
    /// `--archive-gzip`.
    @Flag(name: .customLong("archive-gzip"), help: "Compress archive files with gzip.")
    public var archiveGzip = false
    // Hidden on purpose: 1 is the documented schedule; only tests shrink the waits.
    /// `--backoff-scale` (hidden): multiplies every reconnect back-off wait.
    @Option(name: .customLong("backoff-scale"), help: .hidden)
    public var backoffScale = 1.0

    /// Creates the defaults (for ArgumentParser).
    public init() {}

    /// Checks the flags; a problem is one line.
    public func check() throws {
        if DurationText.parse(stallTimeout).map({ $0 <= .zero }) ?? true {
            throw CommandFailure("--stall-timeout \(stallTimeout) is not a duration like 20s or 500ms")
        }
        if !(0...5).contains(backfillMinutes) {
            throw CommandFailure("--backfill-minutes must be between 0 and 5")
        }
        if !(backoffScale > 0 && backoffScale <= 1) {
            throw CommandFailure("--backoff-scale must be in (0, 1]")
        }
        if let archive, ObjectLocation.isObjectURL(archive) {
            guard ObjectLocation(url: archive) != nil else {
                throw CommandFailure("--archive \(archive) is not s3://bucket/prefix with a valid bucket name")
            }
            do { _ = try ObjectStoreConfiguration.fromEnvironment(ProcessInfo.processInfo.environment) } catch {
                throw CommandFailure("--archive \(archive): \(error)")
            }
        }
        if (ByteCountText.parse(archiveStagingLimit) ?? 0) <= 0 {
            throw CommandFailure("--archive-staging-limit \(archiveStagingLimit) is not a size like 500M or 10G")
        }
        if archiveRotateBytes <= 0 { throw CommandFailure("--archive-rotate-bytes must be positive") }
    }

    /// The object-storage location of `--archive s3://…`, nil for a folder or none.
    public var archiveLocation: ObjectLocation? { archive.flatMap { ObjectLocation(url: $0) } }

    /// The live listener's configuration for `rules` (validated: a bad keyword is one line).
    public func streamConfiguration(rules: RuleOptions) throws -> StreamListener.Configuration {
        var configuration = StreamListener.Configuration()
        configuration.desiredRules = try rules.desiredRules()
        configuration.apiBase = apiBase
        configuration.namespace = rules.namespace
        configuration.stallTimeout = DurationText.parse(stallTimeout) ?? .seconds(20)
        configuration.reconnect.backfillMinutes = backfillMinutes
        configuration.backoffScale = backoffScale
        return configuration
    }

    /// The archive writer, when `--archive` is given: into the folder, or into `staging`
    /// for an `s3://` archive.
    public func archiveWriter(staging: ArchiveStaging? = nil) throws -> ArchiveWriter? {
        guard let archive else { return nil }
        var settings = ArchiveWriter.Configuration(directory: staging?.directory ?? URL(fileURLWithPath: archive))
        settings.gzip = archiveGzip
        settings.maximumBytes = archiveRotateBytes
        settings.staging = staging
        return try ArchiveWriter(configuration: settings)
    }

    /// For `--archive s3://…`: the staging folder under `stateDirectory` and the uploader
    /// that empties it into the bucket; nil otherwise. The store's settings come from the
    /// AWS variables (`check` made sure they are there).
    public func archiveUpload(stateDirectory: URL, logger: Logger) throws -> (ArchiveStaging, ArchiveUploader)? {
        guard let location = archiveLocation else { return nil }
        let configuration = try ObjectStoreConfiguration.fromEnvironment(ProcessInfo.processInfo.environment)
        let staging = try ArchiveStaging(
            directory: stateDirectory.appendingPathComponent("archive-staging").appendingPathComponent(location.bucket),
            limit: ByteCountText.parse(archiveStagingLimit) ?? 10 << 30, logger: logger)
        let store = ObjectStore(bucket: location.bucket, configuration: configuration, logger: logger)
        return (staging, ArchiveUploader(staging: staging, store: store,
                                         configuration: .init(prefix: location.prefix), logger: logger))
    }

    /// The bearer token from `--bearer-token-file` or `$X_BEARER_TOKEN`.
    public func bearerToken() throws -> BearerToken {
        try BearerToken.load(file: bearerTokenFile, environment: ProcessInfo.processInfo.environment)
    }
}
