// swift-tools-version:6.1
// The streaming sentiment pipeline: listener → queue → consumers → store → dashboard.
// docs/architecture.md maps every target below to its role and draws what may import
// what; Tests/EndToEndTests/LayoutTests checks it against this file.
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]
// The numeric cores are optimised in debug builds too: tests train and score whole
// corpora, which unoptimised generic array code makes tens of times slower.
let numeric: [SwiftSetting] = strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "SentimentPipeline",
    // Built and tested on Linux (Debian 12, what `scripts/test` and CI run). macOS 15 is
    // the floor the code needs (`Synchronization.Mutex`); it is not tested there.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "listener", targets: ["ListenerCLI"]),
        .executable(name: "consumer", targets: ["ConsumerCLI"]),
        .executable(name: "dashboard", targets: ["DashboardCLI"]),
        .executable(name: "sentiment", targets: ["SentimentCLI"]),
        .executable(name: "stream-sim", targets: ["StreamSimCLI"]),
        .executable(name: "pipeline", targets: ["PipelineCLI"]),
        .executable(name: "bench", targets: ["Bench"]),
        .executable(name: "fuzz", targets: ["FuzzCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.34.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    ],
    targets: [
        // MARK: C libraries
        .systemLibrary(name: "CMongoc", pkgConfig: "libmongoc-1.0",
                       providers: [.apt(["libmongoc-dev", "libbson-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(name: "CShutdownSignals"),

        // MARK: Shared types (pure): what every stage may import without pulling in an engine
        .target(name: "PipelineModel", swiftSettings: strict),

        // MARK: Pure modules (no I/O)
        .target(name: "NDArray", exclude: ["README.md"], swiftSettings: numeric),
        .target(name: "Sentiment", dependencies: ["NDArray", "PipelineModel"], swiftSettings: numeric),
        // Alert detectors over closed minute buckets (volume spike, sentiment shift, episodes).
        .target(name: "Alerting", dependencies: ["PipelineModel"], exclude: ["README.md"], swiftSettings: numeric),
        // The X filtered-stream rule language, shared by stream-sim, the listener and replay.
        .target(name: "StreamRules", exclude: ["README.md"], swiftSettings: strict),

        // MARK: Queue and store: the protocols with their in-memory implementations, then MongoDB's
        .target(name: "Storage", dependencies: [
            "PipelineModel",
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["README.md"], swiftSettings: strict),
        .target(name: "MongoKit", dependencies: [
            "CMongoc",
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["README.md"], swiftSettings: strict),
        .target(name: "MongoStorage", dependencies: [
            "MongoKit", "Storage", "PipelineModel",
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["README.md"], swiftSettings: strict),

        // MARK: S3-compatible object storage over libcurl (the listener's archive tier)
        .target(name: "ObjectStorage", dependencies: [
            "CCurl", "CCrypto",
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["README.md"], swiftSettings: strict),

        // MARK: Stages
        .target(name: "Listener", dependencies: [
            "CCurl", "CZlib", "PipelineModel", "StreamRules", "ObjectStorage",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], exclude: ["README.md"], swiftSettings: strict),
        .target(name: "Consumer", dependencies: [
            "PipelineModel", "Storage", "Sentiment",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], exclude: ["README.md"], swiftSettings: strict),
        .target(name: "Dashboard", dependencies: [
            "PipelineModel", "Storage", "HTTPServing",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
        ], exclude: ["README.md"], swiftSettings: strict),

        .target(name: "Alerts", dependencies: [
            "Alerting", "PipelineModel", "Storage", "Listener",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], exclude: ["README.md"], swiftSettings: strict),

        // MARK: The X API stand-in (serves feeds over loopback for the demo and the tests)
        .target(name: "StreamSim", dependencies: [
            "CZlib", "PipelineModel", "StreamRules", "HTTPServing",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),

        // MARK: HTTP serving: the connection limits every server we run is built with, /metrics
        .target(name: "HTTPServing", dependencies: [
            "PipelineModel",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ], swiftSettings: strict),

        // MARK: Wiring: what executables share (flag groups, logging, lifecycle, metrics endpoint)
        .target(name: "Wiring", dependencies: [
            "CShutdownSignals", "PipelineModel", "Storage", "Listener", "MongoKit", "MongoStorage", "StreamRules", "HTTPServing",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),

        // MARK: Executables (wiring only)
        .executableTarget(name: "ListenerCLI", dependencies: [
            "Listener", "MongoStorage", "Wiring",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .executableTarget(name: "ConsumerCLI", dependencies: [
            "Consumer", "MongoStorage", "Wiring",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .executableTarget(name: "DashboardCLI", dependencies: [
            "Dashboard", "MongoStorage", "Wiring",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .executableTarget(name: "SentimentCLI", dependencies: [
            "Sentiment", "Wiring",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .executableTarget(name: "StreamSimCLI", dependencies: [
            "StreamSim", "Sentiment", "Wiring",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .executableTarget(name: "PipelineCLI", dependencies: [
            "Listener", "Consumer", "Dashboard", "MongoStorage", "Wiring", "Alerting", "Alerts",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),

        // MARK: Tools that ship in no service: benchmarks and fuzzing
        .executableTarget(name: "Bench", dependencies: [
            "Sentiment", "NDArray", "MongoKit", "Listener", "Consumer", "MongoStorage", "Dashboard",
            "Wiring", "StreamRules", "PipelineTesting", "Alerting",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .target(name: "Fuzzing", dependencies: [
            "Listener", "Storage", "Sentiment", "StreamSim", "StreamRules", "MongoKit", "Wiring", "Dashboard",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .executableTarget(name: "FuzzCLI", dependencies: [
            "Fuzzing", "Wiring",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),

        // MARK: Tests (PipelineTesting: contract suites, loopback servers, child processes)
        .target(name: "PipelineTesting", dependencies: ["Storage", "Sentiment", "Wiring", "ObjectStorage"],
                path: "Tests/PipelineTesting", swiftSettings: strict),
        .testTarget(name: "PipelineModelTests", dependencies: ["PipelineModel"], swiftSettings: strict),
        .testTarget(name: "AlertingTests", dependencies: ["Alerting", "PipelineModel"], swiftSettings: strict),
        .testTarget(name: "NDArrayTests", dependencies: ["NDArray", "PipelineModel"], swiftSettings: strict),
        .testTarget(name: "SentimentTests", dependencies: ["Sentiment", "PipelineTesting"],
                    swiftSettings: strict),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "PipelineTesting"],
                    swiftSettings: strict),
        .testTarget(name: "MongoKitTests", dependencies: ["MongoKit", "PipelineTesting"],
                    swiftSettings: strict),
        .testTarget(name: "MongoStorageTests", dependencies: ["MongoStorage", "PipelineTesting"],
                    swiftSettings: strict),
        .testTarget(name: "ObjectStorageTests", dependencies: ["ObjectStorage", "PipelineTesting"],
                    swiftSettings: strict),
        .testTarget(name: "ListenerTests", dependencies: ["Listener", "PipelineTesting", "StreamRules"],
                    swiftSettings: strict),
        .testTarget(name: "ConsumerTests", dependencies: ["Consumer", "PipelineTesting"],
                    swiftSettings: strict),
        .testTarget(name: "DashboardTests", dependencies: [
            "Dashboard", "Wiring", "MongoStorage", "PipelineTesting", "HTTPServing",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
        ], swiftSettings: strict),
        .testTarget(name: "StreamRulesTests", dependencies: [
            "StreamRules", "StreamSim", "Listener", "Wiring", "PipelineTesting",
        ], swiftSettings: strict),
        .testTarget(name: "StreamSimTests", dependencies: [
            "StreamSim", "StreamRules", "HTTPServing", "PipelineTesting",
            .product(name: "Hummingbird", package: "hummingbird"),
        ], swiftSettings: strict),
        .testTarget(name: "WiringTests", dependencies: ["Wiring", "MongoKit"], swiftSettings: strict),
        .testTarget(name: "FuzzingTests", dependencies: ["Fuzzing"], swiftSettings: strict),
        .testTarget(name: "EndToEndTests", dependencies: ["PipelineTesting", "MongoKit", "MongoStorage", "Wiring"],
                    swiftSettings: strict),
    ]
)
