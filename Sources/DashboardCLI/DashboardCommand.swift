import ArgumentParser
import Wiring
import Dashboard
import Foundation
import HTTPServing
import Hummingbird
import Logging
import PipelineModel
import Storage
import ServiceLifecycle

/// `dashboard`: serves the live sentiment dashboard.
@main
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Serve the sentiment dashboard (pages, JSON API, live updates).",
        discussion: """
        Reads the pipeline's MongoDB store (--mongo, else $MONGODB_URI, else \
        \(MongoOptions.localDefault)), or an in-memory store with --demo or --in-memory.

        If MongoDB is unreachable the dashboard starts anyway: /healthz answers 503 with \
        a one-line reason and pages fail until the server answers; indexes are created \
        and live updates resume once it does. Only an unparsable URI stops it.

        Binding to a non-loopback host requires DASHBOARD_TOKEN (bearer token, basic-auth \
        password, or ?token= once in the browser). The port is bound before anything else: \
        a busy port is one line and exit 2. Prints `dashboard at URL` once it listens (with \
        the real port for --port 0). SIGINT/SIGTERM stop it cleanly (exit 0).
        """)

    @OptionGroup var mongo: MongoOptions

    @Option(help: "Interface to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to bind (0 picks a free port).")
    var port = 8080

    @Flag(help: "Serve an in-memory store filled with 7 days of synthetic posts, with new posts every 2 s.")
    var demo = false

    @Flag(help: "Serve an empty in-memory store (with --enable-test-endpoints: for tests).")
    var inMemory = false

    @Flag(help: "Enable POST /test/posts for end-to-end tests (only with --in-memory on a loopback host).")
    var enableTestEndpoints = false

    @Option(help: "Close a connection with no request in progress after this long (20s, 500ms, 2m).")
    var idleTimeout = "60s"

    @Option(help: "Close a connection whose request head is not complete this long after its first byte.")
    var headerTimeout = "10s"

    @Option(help: "Connections open at once; past it the longest-idle one is closed, else 503. Keep below the fd limit.")
    var maxConnections = ConnectionLimits().maxConnections

    @Option(help: "Posts a chart bucket needs before its mean sentiment is drawn.")
    var minSentimentPosts = DashboardConfiguration.defaultMinimumSentimentPosts

    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).")
    var logLevel = "info"

    func validate() throws {
        if mongo.mongo != nil && (demo || inMemory) {
            throw ValidationError("--mongo cannot be combined with --demo or --in-memory")
        }
        if demo && inMemory { throw ValidationError("give either --demo or --in-memory") }
        for (flag, text) in [("--idle-timeout", idleTimeout), ("--header-timeout", headerTimeout)]
        where DurationText.parse(text).map({ $0 <= .zero }) ?? true {
            throw ValidationError("\(flag) must be a positive duration like 10s or 500ms")
        }
        if maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        if minSentimentPosts < 1 { throw ValidationError("--min-sentiment-posts must be at least 1") }
    }

    /// Signals are caught before flags are parsed: there is no moment when one kills us.
    static func main() async {
        ShutdownSignals.install()
        await main(nil)
    }

    func run() async throws {
        try await CommandFailure.reporting(command: "dashboard") { try await serve() }
    }

    private func serve() async throws {
        // Test endpoints write posts nobody scored: never into a real store, never reachable
        // from another machine (the configuration refuses a non-loopback host).
        if enableTestEndpoints && !inMemory {
            throw CommandFailure("--enable-test-endpoints needs --in-memory: it must never write into a real store")
        }
        let signals = ShutdownSignals.install()
        let logger = try LogSetup.bootstrap(label: "dashboard", level: logLevel)
        let lifecycle = ProcessLifecycle(signals: signals, logger: logger)
        let token = ProcessInfo.processInfo.environment["DASHBOARD_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        var configuration = DashboardConfiguration(host: host, port: port, accessToken: token,
                                                   enableTestEndpoints: enableTestEndpoints)
        configuration.connectionLimits = ConnectionLimits(idleTimeout: DurationText.parse(idleTimeout) ?? .seconds(60),
                                                          headerTimeout: DurationText.parse(headerTimeout) ?? .seconds(10),
                                                          maxConnections: maxConnections)
        configuration.minimumSentimentPosts = minSentimentPosts
        let bound = AwaitedValue<Int>()
        let ready: @Sendable () async throws -> Void = { _ = try await bound.value() }
        let store: any SentimentStore
        var alerts: (any AlertStore)?
        var background: [any Service] = []
        if demo || inMemory {
            let memory = DashboardStore.inMemory(demo: demo, after: ready)
            store = memory.store
            if let feed = memory.feed { background.append(feed) }
        } else {
            let opened = try DashboardStore.mongo(uri: mongo.resolvedURI() ?? MongoOptions.localDefault,
                                                  database: mongo.database, logger: logger, after: ready)
            store = opened.store
            alerts = opened.alerts
            background.append(opened.preparation)
            configuration.storeFailureReason = DashboardStore.reason(for:)
        }
        let host = self.host
        let requested = port
        let announce = bound.boundPortHook(requested: requested)
        let server: any Service
        do {
            let app = try buildApplication(store: store, alerts: alerts, configuration: configuration, logger: logger) { channel in
                await announce(channel)
                Console.say("dashboard at http://\(host):\(channel.localAddress?.port ?? requested)/")
            }
            server = ListeningServer(app: app, port: bound, host: host, requestedPort: requested)
        } catch let error as DashboardConfigurationError {
            throw CommandFailure(error.description)
        }
        try await lifecycle.run([.runsUntilStopped(server)] + background.map { .runsUntilStopped($0) })
    }
}
