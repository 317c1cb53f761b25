import Foundation
import Logging
import ObjectStorage
import PipelineModel
import PipelineTesting
import Testing
@testable import Listener

/// The archive in object storage, against a real S3-compatible server over loopback:
/// staged files are uploaded exactly once through an outage, and a bucket replays like
/// the files it was made of.
@Suite(.timeLimit(.minutes(4))) struct ArchiveObjectStorageTests {
    static let logger = Logger(label: "test")

    /// Every line of every object under `prefix`, decompressed.
    static func archivedLines(_ store: ObjectStore, prefix: String) async throws -> [String] {
        var lines: [String] = []
        for object in try await store.list(prefix: prefix) {
            let reader = try ReplayReader(object: ObjectChunkReader(store: store, object: object, chunkSize: 700))
            while let line = try await reader.withNextLine(fetching: { String(decoding: $0, as: UTF8.self) }) {
                lines.append(line)
            }
        }
        return lines
    }

    /// A writer into a fresh staging folder, as `--archive s3://…` sets one up.
    static func stagedWriter(limit: Int64 = 1 << 30, gzip: Bool = false,
                             maximumBytes: Int? = nil) throws -> (ArchiveStaging, ArchiveWriter) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("staging-\(UUID().uuidString)")
        let staging = try ArchiveStaging(directory: folder, limit: limit, logger: logger)
        var settings = ArchiveWriter.Configuration(directory: folder)
        settings.staging = staging
        settings.gzip = gzip
        if let maximumBytes { settings.maximumBytes = maximumBytes }
        return (staging, try ArchiveWriter(configuration: settings))
    }

    static func waitUntil(_ deadline: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
        let end = ContinuousClock.now + deadline
        while ContinuousClock.now < end {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("condition not met within \(deadline)")
    }

    @Test func objectNamesSortByTimeAndComeFromTheFileNameOnly() throws {
        let time = Date(timeIntervalSince1970: 1_796_479_200)  // 2026-12-05T14:00:00Z
        let name = ArchiveObjectName.fileName(openedAt: time, host: "node-1", sequence: 42, gzip: true)
        #expect(name == "stream-20261205T140000Z-node-1-000042.jsonl.gz")
        #expect(ArchiveObjectName.key(forFile: name, prefix: "raw/") == "raw/2026/12/05/\(name)")
        #expect(ArchiveObjectName.time(of: "raw/2026/12/05/\(name)") == time)
        #expect(ArchiveObjectName.sanitizedHost("ip-10-0-0-1.ec2.internal") == "ip-10-0-0-1")
    }

    @Test func theStagingCapRefusesLinesPastItAndSaysSoFirst() throws {
        let (staging, writer) = try Self.stagedWriter(limit: 1_000)
        let line = [UInt8](repeating: UInt8(ascii: "x"), count: 74)
        for _ in 0..<20 { try writer.write(line, receivedAt: Date()) }
        writer.close()
        #expect(staging.refusedLines == 10)
        #expect(staging.completedFiles().count == 1)
        #expect(staging.completedFiles().allSatisfy { !$0.path.hasSuffix(ArchiveStaging.partSuffix) })
    }

    /// A staged file's digests, kept as it was written, are those of its bytes on disk,
    /// gzip or not: its upload then needs no second read.
    @Test(arguments: [false, true]) func digestsKeptWhileWritingAreThoseOfTheFile(gzip: Bool) throws {
        let (staging, writer) = try Self.stagedWriter(gzip: gzip, maximumBytes: 300_000)
        for id in 1...5_000 { try writer.write(ArchiveReplayTests.message(id), receivedAt: Date()) }
        writer.close()
        let files = staging.completedFiles()
        #expect(files.count >= 2)
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: file))
            let hasher = PayloadHasher()
            bytes.withUnsafeBytes { hasher.update($0) }
            #expect(staging.digests(of: file) == hasher.finish(), "\(file.lastPathComponent)")
        }
        if gzip {
            // What was written reads back, every line.
            let lines = try files.flatMap { file -> [Substring] in
                let text = try #require(String(data: try Self.gunzip(file), encoding: .utf8))
                return text.split(separator: "\n")
            }
            #expect(lines.count == 5_000)
        }
    }

    static func gunzip(_ file: URL) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return data
    }

    /// Digests kept beside a file that do not match it (a disk that changed it, a bug) make
    /// the store's verification fail once; they are then dropped and the file, hashed
    /// afresh, goes up on the next pass.
    @Test func keptDigestsThatDoNotMatchAreDroppedAndTheFileHashedAgain() async throws {
        let server = try S3TestServer.shared()
        let store = ObjectStore(bucket: S3TestServer.uniqueBucket(), configuration: server.configuration(), logger: Self.logger)
        try await store.createBucket()
        let (staging, writer) = try Self.stagedWriter()
        for id in 1...50 { try writer.write(ArchiveReplayTests.message(id), receivedAt: Date()) }
        writer.close()
        let file = try #require(staging.completedFiles().first)
        let size = try #require((try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.int64Value)
        let wrong = UploadDigests(md5: [UInt8](repeating: 7, count: 16), sha256: [UInt8](repeating: 9, count: 32))
        staging.keepDigests(wrong, size: size, of: file)
        #expect(staging.digests(of: file) == wrong)
        let uploader = ArchiveUploader(staging: staging, store: store, configuration: .init(prefix: "raw/"), logger: Self.logger)
        await #expect(throws: ObjectStoreError.self) { try await uploader.uploadStaged() }
        #expect(staging.digests(of: file) == nil)
        #expect(staging.completedFiles() == [file])
        try await uploader.uploadStaged()
        #expect(staging.completedFiles().isEmpty)
        #expect(try await Self.archivedLines(store, prefix: "raw/").count == 50)
    }

    /// The store goes away mid-run and comes back empty (moto keeps state in memory): what
    /// was staged meanwhile is uploaded when it answers, and every archived line is in the
    /// bucket exactly once.
    @Test func anOutageLosesAndRepeatsNoLine() async throws {
        let server = try await S3TestServer.startPrivate()
        let store = ObjectStore(bucket: "outage", configuration: server.configuration(), logger: Self.logger)
        try await store.createBucket()
        let (staging, writer) = try Self.stagedWriter(gzip: true, maximumBytes: 2_000)
        var configuration = ArchiveUploader.Configuration(prefix: "raw/")
        configuration.pollInterval = .milliseconds(50)
        configuration.backoff = .doubling(initial: .milliseconds(50), maximum: .milliseconds(400))
        let uploader = ArchiveUploader(staging: staging, store: store, configuration: configuration, logger: Self.logger)
        let running = Task { try await uploader.run() }

        func write(_ ids: ClosedRange<Int>) throws {
            for id in ids { try writer.write(ArchiveReplayTests.message(id), receivedAt: Date()) }
        }
        try write(1...60)
        var uploaded: [String] = []
        // The snapshot must be final before the server (which keeps objects in memory)
        // stops: wait until no rotated file waits or is in flight, so nothing can be
        // uploaded — and deleted from staging — between the listing and the stop.
        try await Self.waitUntil {
            guard staging.completedFiles().isEmpty else { return false }
            uploaded = try await Self.archivedLines(store, prefix: "raw/")
            return uploaded.count >= 30
        }
        await server.stop()
        try write(61...200)
        // The store is down: the uploader fails, and the files wait in staging.
        try await Self.waitUntil { staging.completedFiles().count >= 3 }
        let restarted = try await S3TestServer.startPrivate(port: server.port)
        try await store.createBucket()
        try write(201...240)
        writer.close()
        try await Self.waitUntil { staging.completedFiles().isEmpty }
        running.cancel()
        try await running.value
        let after = try await Self.archivedLines(store, prefix: "raw/")
        await restarted.stop()
        let ids = (uploaded + after).map { line in
            ArchiveRecord(line: Array(line.utf8)).message
        }.compactMap { message -> Int? in
            let text = String(decoding: message, as: UTF8.self)
            guard let start = text.range(of: #""id":""#), let end = text[start.upperBound...].firstIndex(of: "\"") else { return nil }
            return Int(text[start.upperBound..<end])
        }
        #expect(ids.sorted() == Array(1...240))
    }

    /// Archive objects replay as the files they were: in time order, every post once;
    /// `--from`/`--to` pick objects by the time in their names.
    @Test func aBucketReplaysLikeItsFilesAndSelectsByNameTime() async throws {
        let server = try S3TestServer.shared()
        let store = ObjectStore(bucket: S3TestServer.uniqueBucket(), configuration: server.configuration(), logger: Self.logger)
        try await store.createBucket()
        let (staging, writer) = try Self.stagedWriter(gzip: true)
        let base = Date(timeIntervalSince1970: 1_796_479_200)  // 2026-12-05T14:00:00Z, an hour per file
        for id in 1...30 { try writer.write(ArchiveReplayTests.message(id), receivedAt: base.addingTimeInterval(Double((id - 1) / 10) * 3600 + Double(id))) }
        writer.close()
        try await ArchiveUploader(staging: staging, store: store, configuration: .init(prefix: "raw/"), logger: Self.logger)
            .uploadStaged()
        #expect(staging.completedFiles().isEmpty)

        func replay(from: Date? = nil, to: Date? = nil) async throws -> [String] {
            let inputs = try await ReplayInput.objects(in: ObjectLocation(bucket: store.bucket, prefix: "raw/"), store: store,
                                                       from: from, to: to)
            let collected = PostCollector()
            _ = try await Replayer(speed: .maximum, rules: .replay(ownRules: nil))
                .run(inputs: inputs, clock: ContinuousClock(), submit: { await collected.add($0) })
            return await collected.posts.map(\.id)
        }
        #expect(try await replay() == (1...30).map(String.init))
        #expect(try await replay(from: base.addingTimeInterval(3600), to: base.addingTimeInterval(7200)) == (11...20).map(String.init))
    }
}
