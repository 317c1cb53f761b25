import HTTPServing
import PipelineModel
import ArgumentParser
import Hummingbird
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
    /// registry and returns the server that serves it, as a part of the service group;
    /// nil without the flag. Call it before creating the components whose metrics should show.
    public func endpoint(serverName: String, logger: Logger) -> ListeningServer? {
        guard let metricsPort else { return nil }
        let registry = PrometheusCollectorRegistry()
        MetricsEndpoint.bootstrap(registry: registry)
        let port = AwaitedValue<Int>()
        let app = MetricsEndpoint.application(
            registry: registry, host: metricsHost, port: metricsPort, serverName: serverName, logger: logger,
            onServerRunning: port.boundPortHook(requested: metricsPort))
        return ListeningServer(app: app, port: port, host: metricsHost, requestedPort: metricsPort)
    }
}
