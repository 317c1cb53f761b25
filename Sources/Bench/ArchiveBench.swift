import ArgumentParser
import Foundation
import Listener
import Logging
import ObjectStorage
import PipelineModel

/// `bench archive`: rotated archive files, written by the listener's own `ArchiveWriter`
/// into an `ArchiveStaging` folder as `--archive s3://…` does, uploaded by the real
/// `ArchiveUploader` (verified against the digests the writer kept, multipart above the
/// threshold, deleted once stored), next
/// to curl's plain signed PUT of the same files to the same S3-compatible server, in one
/// run. The server is the one `scripts/test` exported (`TEST_S3_*`) or a fresh moto from
/// `scripts/s3-test-server`. Prints both rates and their ratio (goal ≥ 0.8).
struct ArchiveBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Upload MB/s of rotated archive files through the ArchiveUploader vs curl's plain PUT of the same bytes to the same S3-compatible server (goal ≥ 0.8×).")

    @Option(help: "Rotated archive files uploaded per side and round.")
    var files = 4

    @Option(help: "Raw bytes per archive file (the listener rotates at 64 MiB).")
    var rotateBytes = 64 << 20

    @Flag(help: "Gzip the files, as --archive-gzip does.")
    var gzip = false

    @Option(help: "Files larger than this many MiB go up in parts (the client's default: 100).")
    var multipartMib = 100

    @Option(help: "Part size in MiB (the client's default: 8; S3's floor is 5).")
    var partMib = 8

    @Option(help: "Rounds, alternating which side goes first; the best rate of each side counts.")
    var rounds = 3

    @Option(help: "curl with --aws-sigv4 (7.75 or later) for the plain PUTs.")
    var curl = "/usr/bin/curl"

    func run() async throws {
        try await BenchFailure.reporting("archive") { try await measure() }
    }

    func measure() async throws {
        guard files > 0, rotateBytes > 0, multipartMib >= 0, partMib >= 5, rounds > 0 else {
            throw BenchFailure("--files, --rotate-bytes and --rounds must be positive, --part-mib at least 5")
        }
        guard FileManager.default.isExecutableFile(atPath: curl) else { throw BenchFailure("no curl at \(curl)") }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("bench-archive-\(getpid())")
        try? FileManager.default.removeItem(at: work)
        defer { try? FileManager.default.removeItem(at: work) }
        let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })

        let server = try await TestObjectServer.start()
        defer { server.stop() }
        var configuration = ObjectStoreConfiguration(
            endpoint: URL(string: server.endpoint), region: "us-east-1",
            credentials: .init(accessKeyID: server.accessKeyID, secretAccessKey: server.secretAccessKey), pathStyle: true)
        configuration.multipartThreshold = multipartMib << 20
        configuration.partSize = partMib << 20
        let bucket = "bench-archive-\(UInt32.random(in: 0...UInt32.max))"
        let store = ObjectStore(bucket: bucket, configuration: configuration, logger: quiet)
        try await store.createBucket()
        let reference = try PlainPut(curl: curl, server: server, bucket: bucket, folder: work)

        // The writer's side: what keeping the digests while writing costs it (the uploader
        // then reads each file once, to send it), against a local archive's writer.
        let local = try writeArchive(into: work.appendingPathComponent("local"), staged: false, logger: quiet)
        let (source, stagedSeconds) = try writeArchive(into: work.appendingPathComponent("source"), staged: true, logger: quiet)
        try? FileManager.default.removeItem(at: work.appendingPathComponent("local"))
        let raw = Double(files * rotateBytes) / 1_048_576
        print(String(format: "ArchiveWriter: %.0f MiB/s of raw lines with the digests kept while writing, %.0f MiB/s into a local archive (none kept): ratio %.2f",
                     raw / stagedSeconds, raw / local.seconds, local.seconds / stagedSeconds))
        let bytes = source.reduce(0) { $0 + $1.size }
        let hashes = try source.map { try reference.sha256(of: $0.url) }
        let largest = source.map(\.size).max() ?? 0
        let parts = (largest + configuration.partSize - 1) / configuration.partSize
        let path = largest > configuration.multipartThreshold ? "multipart, \(parts) part\(parts == 1 ? "" : "s") of \(partMib) MiB" : "one PUT"
        let inFlight = "\(ArchiveUploader.Configuration(prefix: "").filesInFlight) files and \(configuration.partsInFlight) parts in flight"
        let serverName = server.started ? "moto (scripts/s3-test-server)" : "the TEST_S3_ENDPOINT server"
        print(String(format: "bench archive: %d %@ files, %.1f MiB in all (largest %.1f MiB: %@; %@), %@ at %@, %d cores",
                     source.count, gzip ? "gzip" : "jsonl", Double(bytes) / 1_048_576, Double(largest) / 1_048_576,
                     path, inFlight, serverName, server.endpoint, ProcessInfo.processInfo.activeProcessorCount))

        var best = (uploader: 0.0, plain: 0.0)
        var ratios: [Double] = []
        for round in 1...rounds {
            var rates = (uploader: 0.0, plain: 0.0)
            // Alternating order: neither side always meets a server still busy with the other's objects.
            for side in round % 2 == 1 ? [0, 1] : [1, 0] {
                // The store spills objects to temporary files: what one side left to write
                // back to disk would otherwise slow down the other (seen here as a ratio
                // swinging 0.5 ↔ 1.4 with the order). Both start from a flushed disk.
                sync()
                if side == 0 {
                    let prefix = "uploader/round-\(round)/"
                    let seconds = try await uploadThroughUploader(source, store: store, prefix: prefix,
                                                                  staging: work.appendingPathComponent("staging-\(round)"),
                                                                  logger: quiet)
                    try await expectStored(store: store, prefix: prefix, count: source.count, bytes: bytes)
                    rates.uploader = Double(bytes) / 1_048_576 / seconds
                } else {
                    let prefix = "plain/round-\(round)/"
                    let seconds = try reference.put(source.map(\.url), hashes: hashes, prefix: prefix)
                    try await expectStored(store: store, prefix: prefix, count: source.count, bytes: bytes)
                    rates.plain = Double(bytes) / 1_048_576 / seconds
                }
                // Each side's objects go before the other side runs: the store holds them.
                try reference.delete(try await store.list(prefix: "").map(\.key))
            }
            print(String(format: "round %d: ArchiveUploader %7.1f MiB/s   plain PUT (curl) %7.1f MiB/s   ratio %.2f",
                         round, rates.uploader, rates.plain, rates.uploader / rates.plain))
            best = (max(best.uploader, rates.uploader), max(best.plain, rates.plain))
            ratios.append(rates.uploader / rates.plain)
        }
        // Each round's two sides ran back to back: on a shared machine whose load drifts,
        // the median of the rounds' ratios is the steadier figure.
        let median = ratios.sorted()[ratios.count / 2]
        print(String(format: "median of the rounds' ratios: %.2f", median))
        print(String(format: "archive upload: ArchiveUploader %.1f MiB/s, plain PUT %.1f MiB/s (best of %d), ratio %.2f (goal >= 0.8: %@)",
                     best.uploader, best.plain, rounds, best.uploader / best.plain,
                     best.uploader / best.plain >= 0.8 ? "met" : "not met"))
    }

    /// One rotated archive file.
    struct ArchiveFile { var url: URL; var size: Int; var digests: UploadDigests? }

    /// Writes `files` archive files of `rotateBytes` raw bytes each, as the listener does:
    /// for an `s3://` archive (`staged`) `ArchiveWriter` into a staging folder, named by
    /// time, digests kept; else into a local archive folder. Returns the files and the
    /// seconds the writer took.
    func writeArchive(into folder: URL, staged: Bool, logger: Logger) throws -> (files: [ArchiveFile], seconds: Double) {
        let staging = try ArchiveStaging(directory: folder, limit: 1 << 40, logger: logger)
        var settings = ArchiveWriter.Configuration(directory: folder)
        settings.gzip = gzip
        settings.maximumBytes = rotateBytes
        if staged { settings.staging = staging }
        settings.host = "bench"
        let writer = try ArchiveWriter(configuration: settings)
        let messages = ListenerBench.syntheticStream(posts: 20_000).split(separator: 10).map { Array($0.dropLast()) }
            .filter { !$0.isEmpty }
        // Receive times within one hour, so only the size rotates.
        let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 3600).rounded(.down) * 3600)
        var written = 0, index = 0
        let began = ContinuousClock.now
        while written < files * rotateBytes {
            let message = messages[index % messages.count]
            try writer.write(message, receivedAt: start.addingTimeInterval(Double(index) * 0.001))
            // What the writer counts: the timestamp and tab, the message, the newline.
            written += 25 + message.count + 1
            index += 1
        }
        writer.close()
        let seconds = (ContinuousClock.now - began).inSeconds
        return (writer.files.map { url in
            ArchiveFile(url: url, size: (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0,
                        digests: staging.digests(of: url))
        }, seconds)
    }

    /// Links the files into a fresh staging folder and times one pass of the uploader
    /// over it: upload, verify, delete each file.
    func uploadThroughUploader(_ source: [ArchiveFile], store: ObjectStore, prefix: String, staging folder: URL,
                               logger: Logger) async throws -> Double {
        let staging = try ArchiveStaging(directory: folder, limit: 1 << 40, logger: logger)
        for file in source {
            let staged = folder.appendingPathComponent(file.url.lastPathComponent)
            try FileManager.default.linkItem(at: file.url, to: staged)
            // As the writer left them in staging: each file with its digests.
            guard let digests = file.digests else { throw BenchFailure("the writer kept no digests for \(file.url.path)") }
            staging.keepDigests(digests, size: Int64(file.size), of: staged)
        }
        let uploader = ArchiveUploader(staging: staging, store: store, configuration: .init(prefix: prefix), logger: logger)
        let start = ContinuousClock.now
        try await uploader.uploadStaged()
        let seconds = (ContinuousClock.now - start).inSeconds
        guard staging.completedFiles().isEmpty else { throw BenchFailure("the uploader left files staged in \(folder.path)") }
        return seconds
    }

    /// Lists `prefix` and checks that `count` objects of `bytes` in all are there.
    func expectStored(store: ObjectStore, prefix: String, count: Int, bytes: Int) async throws {
        let objects = try await store.list(prefix: prefix)
        let stored = objects.reduce(0) { $0 + Int($1.size) }
        guard objects.count == count, stored == bytes else {
            throw BenchFailure("\(prefix): \(objects.count) objects of \(stored) bytes stored, expected \(count) of \(bytes)")
        }
    }

}
