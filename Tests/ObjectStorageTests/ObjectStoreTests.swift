import Foundation
import Logging
import ObjectStorage
import PipelineTesting
import Testing

/// The client against a real S3-compatible server over loopback (the shared test server,
/// which checks every signature).
@Suite(.timeLimit(.minutes(3))) struct ObjectStoreTests {
    let server: S3TestServer
    let store: ObjectStore

    init() async throws {
        server = try S3TestServer.shared()
        store = ObjectStore(bucket: S3TestServer.uniqueBucket(), configuration: server.configuration(),
                            logger: Logger(label: "test"))
        try await store.createBucket()
    }

    @Test func putStoresTheBytesAndReadsThemBack() async throws {
        let bytes = Array("line one\nline two\n".utf8)
        let receipt = try await store.put(key: "a/b c+d.txt", bytes: bytes)
        #expect(receipt.size == Int64(bytes.count))
        #expect(receipt.parts == 1)
        #expect(try await store.get(key: "a/b c+d.txt") == bytes)
        #expect(try await store.get(key: "a/b c+d.txt", range: 5..<8) == Array("one".utf8))
        #expect(try await store.head(key: "a/b c+d.txt")?.size == Int64(bytes.count))
        #expect(try await store.head(key: "missing") == nil)
    }

    @Test func largeFilesGoUpInVerifiedPartsAndComeBackWhole() async throws {
        var configuration = server.configuration()
        configuration.multipartThreshold = 6 << 20
        configuration.partSize = 5 << 20
        let store = ObjectStore(bucket: self.store.bucket, configuration: configuration, logger: Logger(label: "test"))
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<(12 << 20) + 12_345).map { _ in UInt8.random(in: 0...255, using: &random) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("multipart-\(UUID().uuidString)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let receipt = try await store.upload(file: file, key: "big/file.bin")
        #expect(receipt.parts == 3)
        #expect(receipt.etag.hasSuffix("-3"))
        #expect(try await store.get(key: "big/file.bin") == bytes)
        // A reader streams it back in ranges.
        let reader = ObjectChunkReader(store: store, object: try #require(try await store.head(key: "big/file.bin")),
                                       chunkSize: 1 << 20)
        var streamed: [UInt8] = []
        while let chunk = try await reader.next() { streamed += chunk }
        #expect(streamed == bytes)
    }

    /// Below the multipart threshold a file goes up in one PUT read from disk as it is sent
    /// (not loaded whole), hashed in one pass beforehand; an empty file too.
    @Test func aFileGoesUpInOnePutReadFromDisk() async throws {
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<(3 << 20) + 777).map { _ in UInt8.random(in: 0...255, using: &random) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("put-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(bytes).write(to: folder.appendingPathComponent("file.bin"))
        try Data().write(to: folder.appendingPathComponent("empty.bin"))

        let receipt = try await store.upload(file: folder.appendingPathComponent("file.bin"), key: "one/file.bin")
        #expect(receipt.parts == 1)
        #expect(receipt.size == Int64(bytes.count))
        #expect(try await store.get(key: "one/file.bin") == bytes)
        let prepared = try await store.prepareUpload(file: folder.appendingPathComponent("empty.bin"))
        #expect(prepared.size == 0)
        #expect(try await store.upload(prepared, key: "one/empty.bin").size == 0)
        #expect(try await store.head(key: "one/empty.bin")?.size == 0)
        await #expect(throws: ObjectStoreError.self) {
            try await store.upload(file: folder.appendingPathComponent("missing.bin"), key: "one/missing.bin")
        }
    }

    @Test func listingFollowsEveryPageInKeyOrder() async throws {
        let keys = (0..<23).map { String(format: "p/2026/12/%02d/stream-%03d.jsonl", $0 % 5 + 1, $0) }
        for key in keys.shuffled() { try await store.put(key: key, bytes: Array(key.utf8)) }
        try await store.put(key: "other/x", bytes: [1])
        let listed = try await store.list(prefix: "p/", pageSize: 4)
        #expect(listed.map(\.key) == keys.sorted())
        #expect(listed.allSatisfy { $0.size == Int64($0.key.utf8.count) })
        #expect(try await store.list(prefix: "none/").isEmpty)
    }

    @Test func wrongCredentialsAreOneLineNamingTheBucketNotTheKey() async throws {
        let wrong = ObjectStore(bucket: store.bucket, configuration: server.configuration(secret: "not-the-secret"),
                                logger: Logger(label: "test"))
        let error = await #expect(throws: ObjectStoreError.self) { try await wrong.put(key: "k", bytes: [1]) }
        let line = try #require(error).description
        #expect(line.contains(store.bucket))
        #expect(!line.contains("\n"))
        #expect(!line.contains("not-the-secret") && !line.contains(server.accessKeyID) && !line.contains(server.secretAccessKey))
        #expect(error?.isAccessDenied == true)
        await #expect(throws: ObjectStoreError.self) { try await wrong.list(prefix: "") }
    }

    @Test func anUnreachableStoreIsATransientError() async throws {
        let gone = S3TestServer.uniqueBucket()
        let configuration = ObjectStoreConfiguration(
            endpoint: URL(string: "http://127.0.0.1:\(freeLoopbackPort())")!, region: "us-east-1",
            credentials: .init(accessKeyID: "k", secretAccessKey: "s"), pathStyle: true)
        let store = ObjectStore(bucket: gone, configuration: configuration, logger: Logger(label: "test"))
        let error = await #expect(throws: ObjectStoreError.self) { try await store.put(key: "k", bytes: [1]) }
        #expect(error?.isTransient == true)
    }
}

/// Configuration from the environment: the AWS variables, never a value in an error.
@Suite struct ObjectStoreConfigurationTests {
    @Test func readsTheAWSVariables() throws {
        let configuration = try ObjectStoreConfiguration.fromEnvironment([
            "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "token",
            "AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL": "http://minio:9000", "AWS_ENDPOINT_URL_S3": "http://s3:9000",
        ])
        #expect(configuration.endpoint?.absoluteString == "http://s3:9000")
        #expect(configuration.region == "eu-west-1")
        #expect(configuration.pathStyle)
        #expect(configuration.credentials.sessionToken == "token")
        #expect(!"\(configuration.credentials)".contains("secret"))
        let aws = try ObjectStoreConfiguration.fromEnvironment(["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"])
        #expect(aws.endpoint == nil && !aws.pathStyle && aws.region == "us-east-1")
    }

    @Test func missingKeysAreOneLine() {
        #expect(throws: ObjectStoreError.self) { try ObjectStoreConfiguration.fromEnvironment(["AWS_ACCESS_KEY_ID": "a"]) }
        #expect(throws: ObjectStoreError.self) {
            try ObjectStoreConfiguration.fromEnvironment(["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b",
                                                          "AWS_S3_ADDRESSING_STYLE": "sideways"])
        }
    }

    @Test func locationsParse() {
        #expect(ObjectLocation(url: "s3://my-bucket/raw/archive") == ObjectLocation(bucket: "my-bucket", prefix: "raw/archive/"))
        #expect(ObjectLocation(url: "s3://my-bucket")?.prefix == "")
        #expect(ObjectLocation(url: "s3://My_Bucket/x") == nil)
        #expect(ObjectLocation(url: "/tmp/archive") == nil)
    }
}
