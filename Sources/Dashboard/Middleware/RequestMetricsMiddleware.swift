import Foundation
import Hummingbird
import Prometheus

/// Counts requests by route, method and status and records how long the handler took,
/// straight into the dashboard's Prometheus registry (no global metrics bootstrap needed).
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = DashboardRequestContext
    let registry: PrometheusCollectorRegistry
    static let buckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(10),
                                      .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                      .milliseconds(250), .milliseconds(1000)]

    static var requests: MetricNameDescriptor { MetricNameDescriptor(namespace: "dashboard", metricName: "http_requests",
                                               unitName: "total", helpText: "HTTP requests by route, method and status") }
    static var duration: MetricNameDescriptor { MetricNameDescriptor(namespace: "dashboard", metricName: "http_request_duration",
                                               unitName: "seconds", helpText: "Time to the response head by route") }

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context: context, status: response.status.code, elapsed: ContinuousClock.now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(request, context: context, status: status, elapsed: ContinuousClock.now - start)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: Int, elapsed: Duration) {
        let route = context.endpointPath ?? "unmatched"
        registry.makeCounter(descriptor: Self.requests,
                             labels: [("route", route), ("method", request.method.rawValue), ("status", String(status))])
            .increment()
        registry.makeDurationHistogram(descriptor: Self.duration,
                                       labels: [("route", route)], buckets: Self.buckets)
            .record(elapsed)
    }
}
