import HTTPServing
import CoreMetrics
import Hummingbird
import HummingbirdTesting
import Logging
import Wiring
import Prometheus
import Testing

/// The `/metrics` endpoint the listener and consumer serve on `--metrics-port`.
@Suite("Metrics endpoint")
struct MetricsEndpointTests {
    @Test func metricsCreatedThroughSwiftMetricsAreScrapeable() async throws {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        let counter = factory.makeCounter(label: "listener_posts_enqueued_total", dimensions: [("cause", "test")])
        counter.increment(by: 41)
        counter.increment(by: 1)
        let app = MetricsEndpoint.application(registry: registry, host: "127.0.0.1", port: 0,
                                              serverName: "test", logger: Logger(label: "test"))
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let body = String(buffer: response.body)
                #expect(body.contains("# TYPE listener_posts_enqueued_total counter"))
                #expect(body.contains(#"listener_posts_enqueued_total{cause="test"} 42"#))
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/nothing", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
