import Foundation
import HTTPServing
import Hummingbird
import Logging
import NIOCore
import PipelineModel
import Storage

/// Builds the dashboard: pages, JSON API, SSE, health and metrics over `store` (and the
/// alerts of `alerts`, when the process detects them), with the
/// change broadcaster as a service of the application. Tests drive the very same app
/// in-process; the executables run it.
///
/// Throws `DashboardConfigurationError` for settings that would expose it unprotected.
public func buildApplication(store: any SentimentStore, alerts: (any AlertStore)? = nil,
                             configuration: DashboardConfiguration, logger: Logger,
                             onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in })
    throws -> some ApplicationProtocol {
    try configuration.validate()
    let data = DashboardData(store: store, now: configuration.now)
    let broadcaster = ChangeBroadcaster(store: store, bufferSize: configuration.clientBufferSize,
                                        heartbeat: configuration.heartbeatInterval,
                                        metrics: configuration.metrics, logger: logger)
    let router = Router(context: DashboardRequestContext.self)
    router.add(middleware: RequestMetricsMiddleware(registry: configuration.metrics))
    router.add(middleware: SecurityHeadersMiddleware(storeFailureReason: configuration.storeFailureReason))
    if configuration.bindsLoopback { router.add(middleware: LoopbackHostMiddleware()) }
    if let token = configuration.accessToken, !token.isEmpty {
        router.add(middleware: AccessTokenMiddleware(token: token))
    }
    PageRoutes(data: data, minimumPosts: configuration.minimumSentimentPosts).register(on: router)
    APIRoutes(data: data).register(on: router)
    ExportRoutes(data: data).register(on: router)
    AlertRoutes(alerts: alerts, now: configuration.now).register(on: router)
    LiveRoutes(broadcaster: broadcaster).register(on: router)
    OperationsRoutes(store: store, registry: configuration.metrics,
                     enableTestEndpoints: configuration.enableTestEndpoints,
                     healthTimeout: configuration.healthTimeout,
                     failureReason: configuration.storeFailureReason).register(on: router)
    return Application(
        router: router,
        server: configuration.connectionLimits.server(logger: logger),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                             serverName: "dashboard"),
        services: [broadcaster],
        onServerRunning: onServerRunning,
        logger: logger)
}
