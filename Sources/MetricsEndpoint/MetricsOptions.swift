import ArgumentParser
import Logging
import Prometheus

/// `--metrics-port` and `--metrics-host`: where a service serves its Prometheus metrics.
public struct MetricsOptions: ParsableArguments {
    /// The `--metrics-port` flag; nil: no endpoint.
    @Option(help: "Serve Prometheus metrics on this port (/metrics, /healthz); off when absent.")
    public var metricsPort: Int?

    /// The `--metrics-host` flag.
    @Option(help: "Address the metrics endpoint listens on.")
    public var metricsHost = "127.0.0.1"

    /// Creates the defaults (for ArgumentParser).
    public init() {}

    public func validate() throws {
        if let metricsPort, !(1...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be 1…65535")
        }
    }
}

extension MetricsOptions {
    /// With `--metrics-port`: routes every swift-metrics metric of the process into a
    /// registry and serves it until the returned task is cancelled; nil without the flag.
    /// Call it before creating the components whose metrics should show.
    public func startEndpoint(serverName: String, logger: Logger) -> Task<Void, any Error>? {
        guard let metricsPort else { return nil }
        let registry = PrometheusCollectorRegistry()
        MetricsEndpoint.bootstrap(registry: registry)
        let host = metricsHost
        return Task {
            do {
                try await MetricsEndpoint.serve(registry: registry, host: host, port: metricsPort,
                                                serverName: serverName, logger: logger)
            } catch {
                // The service goes on without it; the reason (e.g. port in use) is logged.
                logger.error("metrics endpoint on \(host):\(metricsPort) stopped: \(error)")
                throw error
            }
        }
    }
}
