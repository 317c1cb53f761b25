// swift-tools-version:6.1
// The streaming sentiment pipeline: listener → queue → consumers → store → dashboard.
// docs/architecture.md maps every target below to its role.
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]
// The numeric cores are optimised in debug builds too: tests train and score whole
// corpora, which unoptimised generic array code makes tens of times slower.
let numeric: [SwiftSetting] = strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "SentimentPipeline",
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
        .target(name: "CShutdownSignals"),

        // MARK: Pure modules (no I/O)
        .target(name: "NDArray", exclude: ["README.md"], swiftSettings: numeric),
        .target(name: "Sentiment", dependencies: ["NDArray"],
                swiftSettings: numeric),
        // The X filtered-stream rule language, shared by stream-sim and replay.
        .target(name: "StreamRules", exclude: ["README.md"], swiftSettings: strict),
        .target(name: "PipelineCore", dependencies: [
            "Sentiment",
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),

        // MARK: I/O layers
        .target(name: "MongoKit", dependencies: [
            "CMongoc",
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["README.md"], swiftSettings: strict),
        .target(name: "MongoPipeline", dependencies: [
            "MongoKit", "PipelineCore",
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["README.md"], swiftSettings: strict),
        .target(name: "Listener", dependencies: [
            "CCurl", "CZlib", "PipelineCore", "Sentiment", "StreamRules",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], exclude: ["README.md"], swiftSettings: strict),
        .target(name: "Consumer", dependencies: [
            "PipelineCore", "Sentiment",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], exclude: ["README.md"], swiftSettings: strict),
        .target(name: "Dashboard", dependencies: [
            "PipelineCore", "MetricsEndpoint", "JSONText", "HTTPServerGuard",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
        ], exclude: ["README.md"], swiftSettings: strict),
        .target(name: "StreamSim", dependencies: [
            "CZlib", "JSONText", "StreamRules", "HTTPServerGuard",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),

        .target(name: "JSONText", swiftSettings: strict),
        // Connection limits every HTTP server we run is built with (issue 14 row 2).
        .target(name: "HTTPServerGuard", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        ], swiftSettings: strict),
        .target(name: "MetricsEndpoint", dependencies: [
            "CommandSupport", "HTTPServerGuard",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ], swiftSettings: strict),
        .target(name: "CommandSupport", dependencies: [
            "CShutdownSignals",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        // What the listener and pipeline executables share: source flags, user-error lines.
        .target(name: "ListenerCommandSupport", dependencies: [
            "Listener", "CommandSupport", "StreamRules",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // What every service executable shares: MongoDB flags, connection and backend.
        .target(name: "ServiceSupport", dependencies: [
            "MongoKit", "MongoPipeline", "CommandSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),

        // MARK: Executables (wiring only)
        .executableTarget(name: "ListenerCLI", dependencies: [
            "Listener", "MongoPipeline", "CommandSupport", "ListenerCommandSupport", "ServiceSupport", "MetricsEndpoint",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .executableTarget(name: "ConsumerCLI", dependencies: [
            "Consumer", "MongoPipeline", "CommandSupport", "ServiceSupport", "MetricsEndpoint",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .executableTarget(name: "DashboardCLI", dependencies: [
            "Dashboard", "MongoPipeline", "CommandSupport", "ServiceSupport", "MetricsEndpoint", "HTTPServerGuard",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .executableTarget(name: "SentimentCLI", dependencies: [
            "Sentiment", "CommandSupport", "JSONText",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .executableTarget(name: "StreamSimCLI", dependencies: [
            "StreamSim", "Sentiment", "CommandSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .executableTarget(name: "PipelineCLI", dependencies: [
            "Listener", "Consumer", "Dashboard", "MongoPipeline", "CommandSupport", "ListenerCommandSupport", "ServiceSupport",
            "MetricsEndpoint",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        .executableTarget(name: "Bench", dependencies: [
            "Sentiment", "NDArray", "MongoKit", "PipelineCore", "Listener", "Consumer", "MongoPipeline", "Dashboard",
            "CommandSupport", "StreamRules",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),

        // MARK: Fuzzing (issue 14): harnesses over every reader of outside input, and `fuzz`
        .target(name: "Fuzzing", dependencies: [
            "Listener", "PipelineCore", "Sentiment", "StreamSim", "StreamRules", "MongoKit", "ServiceSupport", "Dashboard", "CommandSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .executableTarget(name: "FuzzCLI", dependencies: [
            "Fuzzing", "CommandSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),

        // MARK: Tests
        .target(name: "PipelineTesting", dependencies: ["PipelineCore", "CommandSupport"],
                path: "Tests/PipelineTesting", swiftSettings: strict),
        .testTarget(name: "NDArrayTests", dependencies: ["NDArray"], swiftSettings: strict),
        .testTarget(name: "JSONTextTests", dependencies: ["JSONText"], swiftSettings: strict),
        .testTarget(name: "SentimentTests", dependencies: ["Sentiment", "PipelineTesting"],
                    swiftSettings: strict),
        .testTarget(name: "PipelineCoreTests", dependencies: ["PipelineCore", "PipelineTesting"],
                    swiftSettings: strict),
        .testTarget(name: "MongoKitTests", dependencies: ["MongoKit", "PipelineTesting"],
                    swiftSettings: strict),
        .testTarget(name: "MongoPipelineTests", dependencies: ["MongoPipeline", "PipelineTesting"],
                    swiftSettings: strict),
        .testTarget(name: "ListenerTests", dependencies: ["Listener", "PipelineTesting", "StreamRules"],
                    swiftSettings: strict),
        .testTarget(name: "ConsumerTests", dependencies: ["Consumer", "PipelineTesting"],
                    swiftSettings: strict),
        .testTarget(name: "DashboardTests", dependencies: [
            "Dashboard", "JSONText", "MetricsEndpoint", "MongoPipeline", "PipelineTesting", "HTTPServerGuard",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], swiftSettings: strict),
        .testTarget(name: "StreamRulesTests", dependencies: [
            "StreamRules", "StreamSim", "Listener", "ListenerCommandSupport", "PipelineTesting",
        ], swiftSettings: strict),
        .testTarget(name: "StreamSimTests", dependencies: [
            "StreamSim", "StreamRules", "HTTPServerGuard", "PipelineTesting",
            .product(name: "Hummingbird", package: "hummingbird"),
        ], swiftSettings: strict),
        .testTarget(name: "FuzzingTests", dependencies: ["Fuzzing"], swiftSettings: strict),
        .testTarget(name: "ServiceSupportTests", dependencies: ["ServiceSupport"], swiftSettings: strict),
        .testTarget(name: "EndToEndTests", dependencies: ["PipelineTesting", "MongoKit", "MongoPipeline", "CommandSupport"], swiftSettings: strict),
    ]
)
