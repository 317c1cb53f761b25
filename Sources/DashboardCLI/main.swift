import ArgumentParser
import Dashboard
import Foundation
import Hummingbird
import Logging
import PipelineCore

/// `dashboard`: serves the live sentiment dashboard.
@main
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Serve the sentiment dashboard (pages, JSON API, live updates).",
        discussion: """
        Binding to a non-loopback host requires DASHBOARD_TOKEN (bearer token, basic-auth \
        password, or ?token= once in the browser).
        """)

    @Option(help: "MongoDB connection URI of the pipeline's store.")
    var mongo: String?

    @Option(help: "Interface to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to bind (0 picks a free port).")
    var port = 8080

    @Flag(help: "Serve an in-memory store filled with 7 days of synthetic posts, with new posts every 2 s.")
    var demo = false

    @Flag(help: "Enable POST /test/posts for end-to-end tests. Never in production.")
    var enableTestEndpoints = false

    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).")
    var logLevel = "info"

    func run() async throws {
        var logger = Logger(label: "dashboard")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let token = ProcessInfo.processInfo.environment["DASHBOARD_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        let configuration = DashboardConfiguration(host: host, port: port, accessToken: token,
                                                   enableTestEndpoints: enableTestEndpoints)
        if mongo != nil {
            fail("--mongo is not available yet: the MongoDB store has not landed; use --demo for now")
        }
        guard demo || enableTestEndpoints else {
            fail("no store: give --mongo URI, or --demo for synthetic data")
        }
        let store = InMemorySentimentStore()
        var feed = DemoFeed()
        if demo {
            let now = Date()
            // Dense last day, sparse week before it: realistic shape, quick to generate.
            _ = try await store.record(feed.posts(from: now.addingTimeInterval(-7 * 86_400),
                                                  to: now.addingTimeInterval(-86_400), perMinute: 0.15))
            _ = try await store.record(feed.posts(from: now.addingTimeInterval(-86_400), to: now, perMinute: 1.5))
        }
        let app: any ApplicationProtocol
        do {
            app = try buildApplication(store: store, configuration: configuration, logger: logger)
        } catch let error as DashboardConfigurationError {
            fail(error.description)
        }
        if demo {
            let demoFeed = feed
            Task.detached {
                var feed = demoFeed
                var tick = 0
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(2))
                    tick += 1
                    let now = Date()
                    // About 1.7 posts per keyword and minute, like the generated history.
                    guard tick % 3 == 0 else { continue }
                    let index = tick / 3 % feed.keywords.count
                    _ = try? await store.record([feed.post(keyword: feed.keywords[index], index: index, at: now)])
                }
            }
        }
        try await app.runService()
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("dashboard: \(message)\n".utf8))
        Foundation.exit(2)
    }
}
