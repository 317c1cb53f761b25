import ArgumentParser
import CommandSupport
import Dashboard
import Foundation
import Hummingbird
import Logging
import PipelineCore
import ServiceSupport

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
        password, or ?token= once in the browser).
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

    @Flag(help: "Enable POST /test/posts for end-to-end tests. Never in production.")
    var enableTestEndpoints = false

    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).")
    var logLevel = "info"

    func validate() throws {
        if mongo.mongo != nil && (demo || inMemory) {
            throw ValidationError("--mongo cannot be combined with --demo or --in-memory")
        }
        if demo && inMemory { throw ValidationError("give either --demo or --in-memory") }
    }

    func run() async throws {
        try await CommandFailure.reporting(command: "dashboard") { try await serve() }
    }

    private func serve() async throws {
        let logger = try LogSetup.bootstrap(label: "dashboard", level: logLevel)
        let token = ProcessInfo.processInfo.environment["DASHBOARD_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        var configuration = DashboardConfiguration(host: host, port: port, accessToken: token,
                                                   enableTestEndpoints: enableTestEndpoints)
        let store: any SentimentStore
        if demo || inMemory {
            store = try await DashboardStore.inMemory(demo: demo)
        } else {
            store = try DashboardStore.mongo(uri: mongo.resolvedURI() ?? MongoOptions.localDefault,
                                             database: mongo.database, logger: logger)
            configuration.storeFailureReason = DashboardStore.reason(for:)
        }
        let app: any ApplicationProtocol
        do {
            app = try buildApplication(store: store, configuration: configuration, logger: logger)
        } catch let error as DashboardConfigurationError {
            throw CommandFailure(error.description)
        }
        try await app.runService()
    }
}
