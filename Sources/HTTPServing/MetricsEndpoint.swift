import PipelineModel
import Hummingbird
import Logging
import Metrics
import NIOCore
import Prometheus

/// Makes a service's swift-metrics counters, gauges and timers scrapeable: every metric
/// the libraries create goes into one Prometheus registry, served as text on `/metrics`.
/// The listener and consumer run it on `--metrics-port`; the one-process pipeline hands
/// the dashboard's registry to `bootstrap` so its `/metrics` shows every stage.
public enum MetricsEndpoint {
    /// Routes every swift-metrics metric of this process into `registry`. Call it once, at
    /// the very start of `main`: a metric created before it is not exported.
    public static func bootstrap(registry: PrometheusCollectorRegistry) {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }

    /// `registry` in the Prometheus text format 0.0.4, as a `/metrics` response.
    public static func metricsResponse(_ registry: PrometheusCollectorRegistry) -> Response {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4096)
        registry.emit(into: &buffer)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }

    /// The HTTP app serving `/metrics` (Prometheus text format 0.0.4) and `/healthz`
    /// (liveness: the process answers) on `host:port`. Only scrapers and probes connect, so
    /// the default `limits` keep 64 connections: a flood cannot take the service's file
    /// descriptors, and the longest-idle connection makes room for a probe.
    public static func application(registry: PrometheusCollectorRegistry, host: String, port: Int,
                                   serverName: String, logger: Logger,
                                   limits: ConnectionLimits = ConnectionLimits(maxConnections: 64),
                                   onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in })
        -> some ApplicationProtocol {
        let router = Router()
        router.get("metrics") { _, _ in metricsResponse(registry) }
        router.get("healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        return Application(router: router,
                           server: limits.server(logger: logger),
                           configuration: .init(address: .hostname(host, port: port), serverName: serverName),
                           onServerRunning: onServerRunning,
                           logger: logger)
    }
}
